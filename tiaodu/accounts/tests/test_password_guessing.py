"""Passwords a guesser tries first are refused, with the reason in Chinese (issue 14,
finding 8): runs, spaces padding a short password, invisible characters, full-width
characters, passwords common on Chinese sites."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("12345678Aa", "密码中含有“1234”这样的字母、数字或键盘顺序，最容易被猜中。"),
        (" " * 8 + "A1!", "密码不能以空格开头或结尾，且除空格外至少需要 8 个字符。"),
        ("Aa1" + "\u200b" * 6, "密码中含有不可见字符：请用键盘重新输入。"),
        ("Ｈｄ＠2025qd!", "密码中含有全角或兼容字符：请将输入法切换到半角（英文）状态后输入。"),
        ("Q1!w" + "\u202e" + "xyz9", "密码中含有不可见字符：请用键盘重新输入。"),
        ("Woaini1314!", "这是最常见的密码之一，请另选一个。"),
        ("Zxcv#2026", "密码中含有“Zxcv”这样的字母、数字或键盘顺序，最容易被猜中。"),
        ("Hd@2025qd9876", "密码中含有“9876”这样的字母、数字或键盘顺序，最容易被猜中。"),
    ],
)
def test_what_a_guesser_tries_first_is_refused(password: str, reason: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert reason in refused.value.messages


@pytest.mark.parametrize("password", ["Tiaodu@2026", "Hd@2025qd", "Xk9#pLm2vR", "Qd#2026huangdao!"])
def test_ordinary_strong_passwords_pass(password: str) -> None:
    validate_password(password)
