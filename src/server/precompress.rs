//! Brotli (quality 11) and gzip (level 9) copies of the site's files, written beside them
//! (`phone_verify.HASH.wasm.br`), which the file server sends to a browser that accepts them:
//! compressed once at their best, instead of at a fast level on every request.
//!
//! `phone-verify precompress` runs it over every file after a build; a server, at start and in
//! the background when its site folder is writable, over the files named by their content
//! only, whose copies can never go stale (a development server keeps running while
//! `cargo leptos watch` replaces `embed.js`). A copy older than its file is removed first, so a
//! changed file is never answered with its old content.

use std::{
    fs,
    io::{self, Write},
    path::{Path, PathBuf},
    time::SystemTime,
};

/// Files worth compressing: text and wasm (images and fonts are compressed already).
const COMPRESSIBLE: [&str; 7] = ["js", "mjs", "wasm", "css", "svg", "html", "json"];
/// Smaller files gain less than a compressed answer's headers cost.
const MIN_BYTES: u64 = 1024;

/// A compressor: the whole content in, the compressed bytes out.
type Compress = fn(&[u8]) -> io::Result<Vec<u8>>;

/// The encodings written, each as its file extension and its compressor.
const ENCODINGS: [(&str, Compress); 2] = [("br", brotli_best), ("gz", gzip_best)];

/// Which files a pass compresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Files {
    /// Every compressible file.
    All,
    /// Only those named by their content (`/pkg/name.HASH.ext`).
    ContentHashed,
}

/// What a pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Precompressed {
    /// Compressed copies written.
    pub written: usize,
    /// Copies already up to date.
    pub current: usize,
    /// Copies older than their file, removed.
    pub stale: usize,
}

/// Removes every compressed copy older than its file under `root`; answers how many. Quick:
/// a server runs it before it serves.
pub fn remove_stale(root: &Path) -> io::Result<usize> {
    let mut removed = 0;
    for file in compressible_files(root)? {
        for (extension, _) in ENCODINGS {
            let copy = with_extension(&file, extension);
            if copy.exists() && !is_current(&copy, &file)? {
                fs::remove_file(&copy)?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// Writes the missing or stale compressed copies of every compressible file under `root`.
/// Each copy is written to a temporary name and renamed, so a reader never sees half of one,
/// and two processes doing it at once both end with whole files. A copy that would not be
/// smaller than its file is not written.
pub fn precompress(root: &Path, which: Files) -> io::Result<Precompressed> {
    let mut done = Precompressed {
        stale: remove_stale(root)?,
        ..Precompressed::default()
    };
    let chosen = |file: &PathBuf| {
        which == Files::All
            || file
                .file_name()
                .and_then(|name| name.to_str())
                .is_some_and(super::caching::is_content_hashed)
    };
    for file in compressible_files(root)?.into_iter().filter(chosen) {
        let mut content = None;
        for (extension, compress) in ENCODINGS {
            let copy = with_extension(&file, extension);
            if copy.exists() {
                done.current += 1;
                continue;
            }
            let content = match &content {
                Some(content) => content,
                None => content.insert(fs::read(&file)?),
            };
            let compressed = compress(content)?;
            if compressed.len() >= content.len() {
                continue;
            }
            let partial = with_extension(&copy, &format!("{}.partial", std::process::id()));
            fs::write(&partial, &compressed)?;
            fs::rename(&partial, &copy)?;
            done.written += 1;
        }
    }
    Ok(done)
}

/// The compressible files under `root` of at least [`MIN_BYTES`], in every folder.
fn compressible_files(root: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                folders.push(path);
            } else if kind.is_file()
                && path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| COMPRESSIBLE.contains(&e))
                && entry.metadata()?.len() >= MIN_BYTES
            {
                found.push(path);
            }
        }
    }
    Ok(found)
}

/// `file` with `.extension` added (`a.wasm` → `a.wasm.br`).
fn with_extension(file: &Path, extension: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

/// Whether `copy` was written after `file` last changed.
fn is_current(copy: &Path, file: &Path) -> io::Result<bool> {
    let modified = |path: &Path| -> io::Result<SystemTime> { fs::metadata(path)?.modified() };
    Ok(modified(copy)? >= modified(file)?)
}

fn brotli_best(content: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        // Quality 11, a 4 MiB window (22 bits): the most brotli does.
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(content)?;
    }
    Ok(out)
}

fn gzip_best(content: &[u8]) -> io::Result<Vec<u8>> {
    let mut writer = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    writer.write_all(content)?;
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn site() -> PathBuf {
        let root = std::env::temp_dir().join(format!("precompress-{}", uuid::Uuid::new_v4()));
        fs::create_dir_all(root.join("pkg")).unwrap();
        root
    }

    fn script(lines: usize) -> String {
        (0..lines)
            .map(|i| format!("export const value{i} = {i};\n"))
            .collect()
    }

    #[test]
    fn compressible_files_get_copies_that_decompress_to_them() {
        let root = site();
        let wasm = root.join("pkg/app.0123.wasm");
        fs::write(&wasm, script(200)).unwrap();
        fs::write(root.join("small.js"), "x").unwrap();
        fs::write(root.join("picture.png"), script(200)).unwrap();

        let done = precompress(&root, Files::All).unwrap();
        assert_eq!(done.written, 2);
        let mut unbrotlied = Vec::new();
        brotli::Decompressor::new(&fs::read(with_extension(&wasm, "br")).unwrap()[..], 4096)
            .read_to_end(&mut unbrotlied)
            .unwrap();
        assert_eq!(unbrotlied, fs::read(&wasm).unwrap());
        let mut ungzipped = Vec::new();
        flate2::read::GzDecoder::new(&fs::read(with_extension(&wasm, "gz")).unwrap()[..])
            .read_to_end(&mut ungzipped)
            .unwrap();
        assert_eq!(ungzipped, fs::read(&wasm).unwrap());
        assert!(!root.join("small.js.br").exists());
        assert!(!root.join("picture.png.br").exists());
        // Nothing left half-written.
        assert!(fs::read_dir(root.join("pkg")).unwrap().all(|e| !e
            .unwrap()
            .path()
            .to_string_lossy()
            .contains("partial")));

        // Again: nothing to do.
        let again = precompress(&root, Files::All).unwrap();
        assert_eq!((again.written, again.current, again.stale), (0, 2, 0));
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_server_compresses_only_the_files_named_by_their_content() {
        let root = site();
        let hashed = root.join("pkg/app.Ab-_0123456789abcdefgh.wasm");
        fs::write(&hashed, script(100)).unwrap();
        fs::write(root.join("embed.js"), script(100)).unwrap();
        let done = precompress(&root, Files::ContentHashed).unwrap();
        assert_eq!(done.written, 2);
        assert!(with_extension(&hashed, "br").exists());
        assert!(!root.join("embed.js.br").exists());
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_copy_older_than_its_file_is_removed_then_written_again() {
        let root = site();
        let loader = root.join("embed.js");
        fs::write(&loader, script(100)).unwrap();
        precompress(&root, Files::All).unwrap();
        // The file changes after its copies were made (a new build of a fixed name).
        let later = SystemTime::now() + std::time::Duration::from_secs(5);
        fs::write(&loader, script(120)).unwrap();
        fs::File::options()
            .write(true)
            .open(&loader)
            .unwrap()
            .set_modified(later)
            .unwrap();
        assert_eq!(remove_stale(&root).unwrap(), 2);
        assert!(!with_extension(&loader, "br").exists());
        let done = precompress(&root, Files::All).unwrap();
        assert_eq!(done.written, 2);
        let mut unbrotlied = Vec::new();
        brotli::Decompressor::new(&fs::read(with_extension(&loader, "br")).unwrap()[..], 4096)
            .read_to_end(&mut unbrotlied)
            .unwrap();
        assert_eq!(unbrotlied, script(120).into_bytes());
        fs::remove_dir_all(root).unwrap();
    }
}
