"""Identity numbers at check-in: the rules live in data.cccd (shared with the public portal's
self-registration, which may not import a face's module); re-exported for operations."""

from data.cccd import (
    CCCD_LENGTH,
    CMND_LENGTH,
    Cccd,
    Mismatch,
    Sex,
    check_cccd,
    check_cmnd,
    check_passport,
    decode_cccd,
    form_sex,
)

__all__ = ["CCCD_LENGTH", "CMND_LENGTH", "Cccd", "Mismatch", "Sex", "check_cccd", "check_cmnd",
           "check_passport", "decode_cccd", "form_sex"]
