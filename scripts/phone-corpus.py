#!/usr/bin/env python3
"""Writes tests/data/phone_numbers.tsv: what Google's libphonenumber (its Python port,
`phonenumbers`) says of every region's example numbers, typed as a visitor would, and of the
same numbers one digit short and one digit long.

The product's number parsing is tested against this file (tests/api/phone_corpus.rs); run
this script again, with the `phonenumbers` version whose metadata matches the Rust crate's,
when the crate's metadata moves on:

    python3 -m venv /tmp/pn && /tmp/pn/bin/pip install phonenumbers==9.0.42
    /tmp/pn/bin/python scripts/phone-corpus.py > tests/data/phone_numbers.tsv

Columns: what was typed, the country picked (empty: none), whether libphonenumber holds it a
valid number, its E.164 form when valid, and its type (MOBILE, FIXED_LINE, ...).
"""

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType, NumberParseException

TYPES = [
    getattr(PhoneNumberType, name)
    for name in (
        "FIXED_LINE", "MOBILE", "FIXED_LINE_OR_MOBILE", "TOLL_FREE", "PREMIUM_RATE",
        "SHARED_COST", "VOIP", "PERSONAL_NUMBER", "PAGER", "UAN", "VOICEMAIL",
    )
]
TYPE_NAMES = {value: name for name, value in vars(PhoneNumberType).items() if name.isupper()}


def examples():
    """(region or None, example number) for every region and type, and each non-geographic
    calling code (+800, +808, +870, …)."""
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in TYPES:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                yield region, number
    for code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        number = phonenumbers.example_number_for_non_geo_entity(code)
        if number is not None:
            yield None, number


def typed(region, number):
    """What a visitor might type for `number`: national form with its country picked, the
    international form with none, and each one digit short and one digit long."""
    nsn = phonenumbers.national_significant_number(number)
    code = number.country_code
    inputs = [(phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL), "")]
    if region is not None:
        inputs.append((phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL), region))
    for digits in (nsn[:-1], nsn + nsn[-1]):
        inputs.append((f"+{code} {digits}", ""))
        if region is not None:
            prefix = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
            # The national prefix (0, 8, 1 …) as the country writes it, then the digits.
            national_prefix = phonenumbers.PhoneMetadata.metadata_for_region(region).national_prefix
            inputs.append(((national_prefix or "") + digits, region))
    return inputs


def reading(raw, region):
    """libphonenumber's answer: valid, E.164, type."""
    try:
        number = phonenumbers.parse(raw, region or None)
    except NumberParseException:
        return False, "", ""
    if not phonenumbers.is_valid_number(number):
        return False, "", ""
    kind = TYPE_NAMES.get(phonenumbers.number_type(number), "UNKNOWN")
    return True, phonenumbers.format_number(number, PhoneNumberFormat.E164), kind


def main():
    print(f"# libphonenumber {phonenumbers.__version__} (Python phonenumbers), scripts/phone-corpus.py")
    seen = set()
    for region, number in examples():
        for raw, picked in typed(region, number):
            if (raw, picked) in seen:
                continue
            seen.add((raw, picked))
            valid, e164, kind = reading(raw, picked)
            print("\t".join([raw, picked, "valid" if valid else "invalid", e164, kind]))


if __name__ == "__main__":
    main()
