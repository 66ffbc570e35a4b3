"""The media bucket adapter: a deletion S3 only partly carried out is an error, not a silence."""

from __future__ import annotations

import pytest
from botocore.stub import Stubber

from helpdesk import media


def test_objects_s3_refuses_to_delete_raise_naming_them(aws):
    media.put("media/a.pdf", b"a", "application/pdf")
    media.delete(["media/a.pdf", "media/absent.pdf"])  # absent objects are no error
    assert media.sizes("media/") == {}

    with Stubber(media._s3()) as s3:
        s3.add_response(
            "delete_objects",
            {"Errors": [{"Key": "media/b.pdf", "Code": "AccessDenied", "Message": "Access Denied"}]},
        )
        with pytest.raises(media.DeleteFailed, match=r"media/b\.pdf \(AccessDenied\)"):
            media.delete(["media/b.pdf"])
