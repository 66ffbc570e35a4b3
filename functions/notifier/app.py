"""Being written (issue 6)."""


def handler(event, context):
    return {"batchItemFailures": []}
