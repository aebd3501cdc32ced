"""What logs may show of a customer's phone and e-mail, and that secrets never reach them."""

from __future__ import annotations

import logging

import pytest

from sheetcrm.channels.base import excerpt, safe_origin
from sheetcrm.channels.masking import (
    MaskingFilter,
    describe,
    mask_email,
    mask_phone,
    mask_text,
    redact,
)
from sheetcrm.outbound import Recipient, RecipientKind


@pytest.mark.parametrize(
    ("phone", "shown"),
    [
        ("+8613800138000", "+86 138****8000"),  # China mobile
        ("+886912345678", "+886 91****678"),  # Taiwan
        ("+34612345678", "+34 61****678"),  # Spain
        ("+5215512345678", "+52 155****5678"),  # Mexico mobile
        ("+14155552671", "+1 41*****671"),  # US
        ("13800138000", "138****8000"),  # no country code: none is invented
        ("138 0013 8000", "138****8000"),
        ("+99912", "+***12"),  # not a real number: digits masked all the same
        ("1234", "****"),
    ],
)
def test_phone_masking(phone: str, shown: str) -> None:
    assert mask_phone(phone) == shown


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("zhangwei@example.com", "z***@example.com"),
        ("a@b.cn", "a***@b.cn"),
        ("张伟@例子.中国", "张***@例子.中国"),
        ("@example.com", "***@example.com"),
        ("no-at-sign", "***"),
    ],
)
def test_email_masking(address: str, shown: str) -> None:
    assert mask_email(address) == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("to +8613800138000 now", "to +86 138****8000 now"),
        ("to 13800138000 and zw@example.com", "to 138****8000 and z***@example.com"),
        ("on 2026-11-23 for 12345.67 at 09:30", "on 2026-11-23 for 12345.67 at 09:30"),
        ("customer C001 row 1234", "customer C001 row 1234"),
        ("token tk-123456 leaked", "token *** leaked"),
    ],
)
def test_free_text_masking(text: str, shown: str) -> None:
    assert mask_text(text, secrets=["tk-123456"]) == shown


def test_describe_names_the_recipient_without_their_contacts() -> None:
    r = Recipient(
        RecipientKind.CUSTOMER, "C001", "张伟", "zh-Hans", "zw@example.com", "+8613800138000"
    )
    assert describe(r) == "customer C001 (z***@example.com, +86 138****8000)"
    assert describe(Recipient(RecipientKind.STAFF, "李娜", "李娜", "zh-Hans")) == "staff 李娜"


def test_the_logging_filter_masks_messages_arguments_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logger = logging.getLogger("sheetcrm.test_masking")
    caplog.handler.addFilter(MaskingFilter(secrets=["s3cret-token"]))
    with caplog.at_level(logging.INFO, logger=logger.name):
        logger.info("sent to %s with %s", "+8613800138000", "s3cret-token")
        try:
            raise ValueError("bad address zhangwei@example.com")
        except ValueError:
            logger.exception("failed")
    text = caplog.text
    assert "+86 138****8000" in text and "z***@example.com" in text
    assert "13800138000" not in text and "zhangwei@" not in text and "s3cret-token" not in text


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        (
            "https://oapi.dingtalk.com/robot/send?access_token=abc&sign=x",
            "https://oapi.dingtalk.com",
        ),
        ("https://hooks.slack.com/services/T1/B2/secret", "https://hooks.slack.com"),
        ("http://127.0.0.1:8080/sms?u=tok", "http://127.0.0.1:8080"),
        ("https://user:pw@sms.example.com/send", "https://sms.example.com"),
    ],
)
def test_errors_show_only_the_origin_of_a_url(url: str, origin: str) -> None:
    assert safe_origin(url) == origin


def test_excerpts_are_short_single_line_and_redacted() -> None:
    body = ("error: token abcdef-123 is invalid\n" * 50).encode()
    text = excerpt(body, ["abcdef-123"])
    assert len(text) == 200 and "\n" not in text and "abcdef" not in text
    refused = b'{"message": "The \'To\' number +8613800138000 is not a valid phone number."}'
    assert "+86 138****8000" in excerpt(refused)
    assert redact("key=ab abc", ["ab", "abc"]) == "key=*** ***"
