//! Argon2 on a fixed budget: a few worker threads, each reusing one block of hashing memory,
//! fed from two bounded queues. Known clients' checks go first; a full queue refuses at once.
//!
//! Why not the blocking pool: a hash needs 19 MiB. On tokio's blocking threads each new thread
//! allocated its own, and the allocator kept it, so a burst of wrong passwords left hundreds of
//! MiB resident (issue 29). Here at most `workers` blocks exist, and a worker gives its block
//! back once it has been idle for a second.

use argon2::{
    password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, SaltString},
    Algorithm, Argon2, Block, Params, Version,
};
use std::{
    collections::VecDeque,
    panic::AssertUnwindSafe,
    sync::{Arc, Condvar, Mutex},
    time::Duration,
};
use subtle::ConstantTimeEq;
use tokio::sync::oneshot;

/// How long an idle worker keeps its hashing memory for the next check.
const KEEP_MEMORY_WHILE_IDLE: Duration = Duration::from_secs(1);

/// Which queue a check waits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// A network that has logged in to this username before, or this process itself: never
    /// queued behind strangers.
    Known,
    /// Anyone else.
    Stranger,
}

/// The lane's queue is full: the caller is answered at once, not queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

#[derive(Default)]
struct Queues {
    known: VecDeque<Job>,
    strangers: VecDeque<Job>,
    /// Places taken in each lane ([known, strangers]): queued, or reserved and about to be.
    taken: [usize; 2],
    closed: bool,
}

struct Shared {
    queues: Mutex<Queues>,
    work: Condvar,
    places: usize,
}

/// A fixed set of hashing threads and their two bounded queues.
pub struct HashingPool {
    shared: Arc<Shared>,
}

/// A place held in a lane's queue, for one job.
pub struct Place {
    shared: Arc<Shared>,
    lane: Lane,
    queued: bool,
}

impl HashingPool {
    /// `workers` threads (at least one), and room for `places` waiting checks in each lane.
    pub fn new(workers: usize, places: usize) -> Self {
        let shared = Arc::new(Shared {
            queues: Mutex::new(Queues::default()),
            work: Condvar::new(),
            places,
        });
        for i in 0..workers.max(1) {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || work(&shared))
                .expect("the system can start a thread");
        }
        Self { shared }
    }

    /// Takes a place in `lane`'s queue, or answers [`Busy`] when it is full.
    pub fn reserve(&self, lane: Lane) -> Result<Place, Busy> {
        let mut queues = self.shared.queues.lock().expect("not poisoned");
        let taken = &mut queues.taken[lane.index()];
        if *taken >= self.shared.places {
            return Err(Busy);
        }
        *taken += 1;
        Ok(Place {
            shared: self.shared.clone(),
            lane,
            queued: false,
        })
    }

    /// Checks `password` against a stored PHC `hash`, in `lane`.
    pub async fn verify(&self, lane: Lane, hash: String, password: String) -> Result<bool, Busy> {
        self.reserve(lane)?.verify(hash, password).await
    }

    /// A new PHC hash of `password` with Argon2id's default parameters, in the known lane.
    pub async fn hash(&self, password: String) -> Result<Option<String>, Busy> {
        self.reserve(Lane::Known)?
            .run(move |memory| hash_new(memory, &password))
            .await
    }
}

impl Drop for HashingPool {
    fn drop(&mut self) {
        self.shared.queues.lock().expect("not poisoned").closed = true;
        self.shared.work.notify_all();
    }
}

impl Place {
    /// Checks `password` against a stored PHC `hash` on a worker.
    pub async fn verify(self, hash: String, password: String) -> Result<bool, Busy> {
        self.run(move |memory| verify_with(memory, &hash, &password))
            .await
    }

    /// Runs `job` on a worker with its hashing memory, and answers what it returned. A job
    /// whose caller has gone (a client that hung up) is skipped.
    pub async fn run<T: Send + 'static>(
        mut self,
        job: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |memory| {
            if !answer.is_closed() {
                let _ = answer.send(job(memory));
            }
        });
        {
            let mut queues = self.shared.queues.lock().expect("not poisoned");
            match self.lane {
                Lane::Known => queues.known.push_back(job),
                Lane::Stranger => queues.strangers.push_back(job),
            }
            self.queued = true;
        }
        self.shared.work.notify_one();
        // Dropped unrun only when the pool is closing.
        answered.await.map_err(|_| Busy)
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        if !self.queued {
            self.shared.queues.lock().expect("not poisoned").taken[self.lane.index()] -= 1;
        }
    }
}

impl Lane {
    /// Its place in per-lane counts.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Its name, as the metrics and the log label it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Known => "known",
            Self::Stranger => "stranger",
        }
    }
}

/// A worker: known jobs first; its memory kept while work keeps coming.
fn work(shared: &Shared) {
    let mut memory: Vec<Block> = Vec::new();
    let mut queues = shared.queues.lock().expect("not poisoned");
    loop {
        if queues.closed {
            return;
        }
        let next = match queues.known.pop_front() {
            Some(job) => Some((job, Lane::Known)),
            None => queues
                .strangers
                .pop_front()
                .map(|job| (job, Lane::Stranger)),
        };
        if let Some((job, lane)) = next {
            queues.taken[lane.index()] -= 1;
            drop(queues);
            // A job that panics (none is known to) loses its answer, and the caller is told
            // busy; the worker goes on, with fresh memory, rather than dying with it.
            if std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut memory))).is_err() {
                memory = Vec::new();
            }
            queues = shared.queues.lock().expect("not poisoned");
            continue;
        }
        if memory.is_empty() {
            queues = shared.work.wait(queues).expect("not poisoned");
        } else {
            let (again, waited) = shared
                .work
                .wait_timeout(queues, KEEP_MEMORY_WHILE_IDLE)
                .expect("not poisoned");
            queues = again;
            if waited.timed_out() && queues.known.is_empty() && queues.strangers.is_empty() {
                memory = Vec::new();
            }
        }
    }
}

/// Bytes reserved (not touched) for a block, past glibc's largest dynamic mmap threshold
/// (32 MiB). Such an allocation is always a mapping of its own, unmapped when freed, and its
/// free never raises the threshold. A 19 MiB block freed would raise it, and every later block
/// would come from its thread's arena, which keeps the memory for good: the 340 MiB the review
/// measured. Only the pages Argon2 writes are resident.
const RESERVED_BYTES: usize = 32 * 1024 * 1024 + Block::SIZE;

/// `memory` resized for `params`, reused when it already fits.
fn blocks_for<'m>(memory: &'m mut Vec<Block>, params: &Params) -> &'m mut [Block] {
    let count = params.block_count();
    if memory.len() != count {
        *memory = Vec::with_capacity(count.max(RESERVED_BYTES / Block::SIZE));
        memory.resize(count, Block::default());
    }
    &mut memory[..]
}

/// Whether `password` matches the PHC string `hash` (any Argon2 variant and parameters it
/// names); a hash that does not parse matches nothing.
fn verify_with(memory: &mut Vec<Block>, hash: &str, password: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(expected), Some(salt)) = (parsed.hash, parsed.salt) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(version) => version.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    let argon2 = Argon2::new(algorithm, version, params.clone());
    argon2
        .hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut out,
            blocks_for(memory, &params),
        )
        .is_ok()
        && bool::from(out.ct_eq(expected.as_bytes()))
}

/// A new PHC hash of `password` (Argon2id, default parameters, a random salt), in the worker's
/// reused memory: the crate's own hasher would allocate and free a 19 MiB block, and that free
/// raises glibc's mmap and trim thresholds for the whole process, which then keeps what a
/// flood of connections freed (the silent flood's memory, issue 29).
fn hash_new(memory: &mut Vec<Block>, password: &str) -> Option<String> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let raw_salt = salt.as_salt().decode_b64(&mut salt_bytes).ok()?;
    let params = Params::default();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(
            password.as_bytes(),
            raw_salt,
            &mut out,
            blocks_for(memory, &params),
        )
        .ok()?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).ok()?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).ok()?),
    };
    Some(phc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::{PasswordHasher, PasswordVerifier};
    use std::sync::mpsc;

    /// A hash as the crate's own hasher makes it, for the checks to read.
    fn crate_hash(password: &str) -> String {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .expect("hashes")
            .to_string()
    }

    #[test]
    fn a_new_hash_is_the_crates_own_kind_made_in_the_reused_memory() {
        let mut memory = Vec::new();
        let hash = hash_new(&mut memory, "correct horse battery").expect("hashes");
        let kept = memory.as_ptr();
        let parsed = PasswordHash::new(&hash).unwrap();
        let crates = crate_hash("correct horse battery");
        let head = |hash: &str| hash.rsplitn(3, '$').last().unwrap().to_owned();
        assert_eq!(
            head(&hash),
            head(&crates),
            "the same algorithm and parameters"
        );
        assert!(Argon2::default()
            .verify_password(b"correct horse battery", &parsed)
            .is_ok());
        assert!(verify_with(&mut memory, &hash, "correct horse battery"));
        assert!(!verify_with(&mut memory, &hash, "correct horse"));
        assert_eq!(memory.as_ptr(), kept, "one block made and checked the hash");
        assert_ne!(hash_new(&mut memory, "correct horse battery"), Some(hash));
    }

    #[test]
    fn checks_a_password_against_the_crates_own_hash_with_reused_memory() {
        let hash = crate_hash("correct horse battery");
        let mut memory = Vec::new();
        assert!(verify_with(&mut memory, &hash, "correct horse battery"));
        let kept = memory.as_ptr();
        assert!(!verify_with(&mut memory, &hash, "correct horse battery!"));
        assert_eq!(memory.as_ptr(), kept, "the same memory served both checks");
        assert!(!verify_with(
            &mut memory,
            "not a hash",
            "correct horse battery"
        ));
        assert!(!verify_with(
            &mut memory,
            "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$",
            ""
        ));
    }

    #[test]
    fn reads_the_parameters_each_hash_names() {
        // A hash made with other parameters (older or stronger settings) still checks.
        let params = Params::new(8 * 1024, 1, 1, None).unwrap();
        let salt = SaltString::generate(&mut OsRng);
        let hash = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"another password", &salt)
            .unwrap()
            .to_string();
        let mut memory = Vec::new();
        assert!(verify_with(&mut memory, &hash, "another password"));
        assert_eq!(memory.len(), 8 * 1024);
        assert!(!verify_with(&mut memory, &hash, "another passwork"));
    }

    #[tokio::test]
    async fn a_full_queue_answers_busy_at_once_and_known_checks_go_first() {
        let pool = HashingPool::new(1, 1);
        let log = Arc::new(Mutex::new(Vec::new()));
        let (started, on_started) = mpsc::channel();
        let (release, on_release) = mpsc::channel::<()>();
        let job = |name: &'static str| {
            let log = log.clone();
            move |_: &mut Vec<Block>| log.lock().unwrap().push(name)
        };
        // The one worker is busy with a check that waits for the test.
        let first = pool.reserve(Lane::Stranger).unwrap();
        let blocking = tokio::spawn(first.run(move |_| {
            started.send(()).unwrap();
            on_release.recv().unwrap();
        }));
        tokio::task::spawn_blocking(move || on_started.recv().unwrap())
            .await
            .unwrap();
        // One stranger may wait; the next is refused at once, not queued.
        let stranger = tokio::spawn(pool.reserve(Lane::Stranger).unwrap().run(job("stranger")));
        assert_eq!(pool.reserve(Lane::Stranger).err(), Some(Busy));
        // A known network has a queue of its own, and goes first.
        let known_place = pool.reserve(Lane::Known).unwrap();
        assert_eq!(pool.reserve(Lane::Known).err(), Some(Busy));
        let known = tokio::spawn(known_place.run(job("known")));
        while {
            let queues = pool.shared.queues.lock().unwrap();
            queues.known.len() + queues.strangers.len() < 2
        } {
            tokio::task::yield_now().await;
        }
        release.send(()).unwrap();
        blocking.await.unwrap().unwrap();
        known.await.unwrap().unwrap();
        stranger.await.unwrap().unwrap();
        assert_eq!(*log.lock().unwrap(), ["known", "stranger"]);
        // Places are given back as the checks run: the lanes take new ones.
        assert!(pool.reserve(Lane::Stranger).is_ok());
        assert!(pool.reserve(Lane::Known).is_ok());
    }

    #[tokio::test]
    async fn a_worker_outlives_a_job_that_panics() {
        let pool = HashingPool::new(1, 1);
        let panicked = pool
            .reserve(Lane::Known)
            .unwrap()
            .run(|_| -> u8 { panic!("a job that fails") })
            .await;
        assert_eq!(panicked, Err(Busy));
        let next = pool.reserve(Lane::Known).unwrap().run(|_| 7u8);
        let answer = tokio::time::timeout(Duration::from_secs(10), next).await;
        assert_eq!(answer.expect("the one worker is still there"), Ok(7));
    }

    #[tokio::test]
    async fn a_place_given_up_before_it_runs_frees_its_lane() {
        let pool = HashingPool::new(1, 1);
        let place = pool.reserve(Lane::Stranger).unwrap();
        assert_eq!(pool.reserve(Lane::Stranger).err(), Some(Busy));
        drop(place);
        let hash = crate_hash("a password of twelve");
        assert_eq!(
            pool.verify(Lane::Stranger, hash, "a password of twelve".into())
                .await,
            Ok(true)
        );
    }
}
