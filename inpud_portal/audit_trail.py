"""The one audit trail, for apps that may not import governance (advocacy).

The trail's model lives in governance; the project package wires other apps to it.
"""


def audit_record(**kwargs):
    from governance.services.audit import audit_record as record

    return record(**kwargs)
