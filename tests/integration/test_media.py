"""The media bucket adapter: a deletion S3 only partly carried out is an error, not a silence."""

from __future__ import annotations

import pytest
from botocore.stub import Stubber

from helpdesk.aws import s3


def test_objects_s3_refuses_to_delete_raise_naming_them(aws):
    s3.put("media/a.pdf", b"a", "application/pdf")
    s3.delete(["media/a.pdf", "media/absent.pdf"])  # absent objects are no error
    assert s3.sizes("media/") == {}

    with Stubber(s3._s3()) as stubbed:
        stubbed.add_response(
            "delete_objects",
            {"Errors": [{"Key": "media/b.pdf", "Code": "AccessDenied", "Message": "Access Denied"}]},
        )
        with pytest.raises(s3.DeleteFailed, match=r"media/b\.pdf \(AccessDenied\)"):
            s3.delete(["media/b.pdf"])
