"""`python -m local` (what `make dev` runs): the whole product on this machine, no AWS, no Docker."""

from __future__ import annotations

import logging
import os
import signal
import threading

from local.stack import LocalStack


def main() -> None:
    logging.basicConfig(
        level=os.environ.get("LOCAL_LOG_LEVEL", "INFO"), format="%(asctime)s %(name)-14s %(message)s"
    )
    for noisy in ("werkzeug", "botocore", "pynamodb"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    stack = LocalStack(
        port=int(os.environ.get("PORT", "3000")),
        gateway=os.environ.get("WHATSAPP_GATEWAY", "simulator"),
        seed=os.environ.get("LOCAL_SEED", "1") != "0",
    )
    stack.start()
    if stack.seed:  # the articles only here: the tests' stacks keep the bot's flow without offers
        from local.seed import seed_demo_articles

        seed_demo_articles()
    print(
        f"""
  WhatsApp helpdesk running locally (AWS emulated by moto at {os.environ["AWS_ENDPOINT_URL"]})

  Simulator (chat with the bot):  {stack.url}/simulator/
  Admin console:                  {stack.url}/console
    first admin:                  {os.environ["ADMIN_EMAIL"]}
    temporary password:           {os.environ["ADMIN_TEMPORARY_PASSWORD"]}  (the first login asks for a new one)
    invitations' "e-mails":       {stack.url}/local/mail
  Requester portal:               {stack.url}/portal
  Admin API token (scripts only): {os.environ["ADMIN_TOKEN"]}
  Evolution webhook:              POST {stack.url}/webhooks/evolution  (x-webhook-token: {os.environ["WEBHOOK_TOKEN"]})
  ERP events:                     POST {stack.url}/erp/events  (HMAC secret: {os.environ["ERP_HMAC_SECRET"]})
  Demo company CNPJ:              11.222.333/0001-81

  Ctrl-C stops everything.
""",
        flush=True,
    )
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
        print("stopped", flush=True)


if __name__ == "__main__":
    main()
