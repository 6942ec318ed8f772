"""The unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters: registration authority (1), organisation category (1), administrative
division code (6 digits), organisation code (9), check character (1). The alphabet has 31
characters — digits and the capital letters except I, O, Z, S and V — and the check
character is `31 − (Σ value(cᵢ)·wᵢ mod 31)` over the first 17, with weights wᵢ = 3ⁱ mod 31
(1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28); a result of 31 is "0".
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


def normalise(code: str) -> str:
    """Upper case, surrounding spaces removed: how people type codes from a licence."""
    return (code or "").strip().upper()


def check_character(first17: str) -> str:
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_error(code: str) -> str | None:
    """None when `code` is a valid code, else the reason in Chinese."""
    code = normalise(code)
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，您填写了 {len(code)} 位"
    for position, ch in enumerate(code, start=1):
        if ch not in _VALUE:
            return (
                f"统一社会信用代码第 {position} 位“{ch}”不是允许的字符"
                "（只能是数字和除 I、O、S、V、Z 以外的大写字母）"
            )
    if not code[2:8].isdigit():
        return "统一社会信用代码第 3–8 位应为 6 位数字的行政区划代码"
    expected = check_character(code[:17])
    if code[17] != expected:
        return "统一社会信用代码校验位不正确，请对照营业执照逐位核对"
    return None


def validate_credit_code(value: str) -> None:
    error = credit_code_error(value)
    if error:
        raise ValidationError(error, code="credit_code")
