"""No email leaves except through the one sender (inpud_portal/outbox.py).

Every module of the portal is read as Python (not as text, so a comment or a
docstring that names send_mail is no offence) and any call that would hand a
message to Django's mail machinery or to an SMTP server is reported with its file
and line.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SENDER = ROOT / "inpud_portal" / "outbox.py"
# The raw-SMTP ceiling the throughput benchmark compares the portal against.
BENCHMARKS = ROOT / "benchmarks"
SKIPPED_DIRS = {".venv", "node_modules", "staticfiles", "tests", ".git", "media"}

SENDING_CALLS = {
    "send_mail",
    "send_mass_mail",
    "send_messages",
    "get_connection",
    "mail_admins",
    "mail_managers",
}
MESSAGE_CLASSES = {"EmailMessage", "EmailMultiAlternatives"}
# Functions that return a message ready to be sent.
MESSAGE_MAKERS = MESSAGE_CLASSES | {
    "render_email",
    "render_mail",
    "mailing_message",
    "stored_message",
}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _is_message(node: ast.AST, messages: set[str]) -> bool:
    if isinstance(node, ast.Call):
        return _name(node.func) in MESSAGE_MAKERS
    return isinstance(node, ast.Name) and node.id in messages


def violations(source: str, *, filename: str = "<source>") -> list[str]:
    tree = ast.parse(source, filename=filename)
    # Names bound to a message anywhere in the module: msg = EmailMessage(...).
    messages = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and _is_message(node.value, set())
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found = []
    for node in ast.walk(tree):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.ImportFrom) and node.module in {"django.core.mail", "smtplib"}:
            for alias in node.names:
                if alias.name in SENDING_CALLS | {"SMTP", "SMTP_SSL"}:
                    found.append(f"{where} imports {alias.name}")
        if not isinstance(node, ast.Call):
            continue
        called = _name(node.func)
        if called in SENDING_CALLS:
            found.append(f"{where} calls {called}()")
        elif called in {"SMTP", "SMTP_SSL"}:
            found.append(f"{where} opens an SMTP connection")
        elif (
            called == "send"
            and isinstance(node.func, ast.Attribute)
            and _is_message(node.func.value, messages)
        ):
            found.append(f"{where} sends a message itself")
    return found


def portal_modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIPPED_DIRS & set(relative.parts[:-1]) or path == SENDER:
            continue
        if BENCHMARKS in path.parents:
            continue
        yield path


def test_it_reads_every_app():
    read = {path.relative_to(ROOT).parts[0] for path in portal_modules()}

    assert {"inpud_portal", "members", "governance", "publications"} <= read


def test_no_module_sends_email_except_the_one_sender():
    found = []
    for path in portal_modules():
        found += violations(path.read_text(), filename=str(path.relative_to(ROOT)))

    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "from django.core.mail import send_mail\nsend_mail('s', 'b', None, ['a@b.c'])",
        "from django.core import mail\nmail.send_mass_mail([])",
        "from django.core.mail import EmailMessage\nEmailMessage('s', 'b', to=['a@b.c']).send()",
        "from django.core.mail import EmailMultiAlternatives as E\n"
        "msg = EmailMultiAlternatives('s', 'b')\nmsg.send()",
        "from django.core import mail\nwith mail.get_connection() as c:\n    c.send_messages([])",
        "class A(Base):\n    def send_mail(self, *a):\n        super().send_mail(*a)",
        "message = render_email(template_prefix='x', to='a', language='en', context={})\n"
        "message.send()",
        "import smtplib\nsmtplib.SMTP('localhost').sendmail('a', ['b'], 'x')",
    ],
)
def test_it_catches_each_way_of_sending(source):
    assert violations(source)


def test_it_lets_signals_and_definitions_be():
    source = (
        "from django.db.models.signals import post_save\n"
        "post_save.send(sender=None)\n"
        "class A:\n    def send_mail(self, *a):\n        outbox_add([])\n"
        "# send_mail() in a comment\n"
    )

    assert violations(source) == []
