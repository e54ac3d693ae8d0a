"""``python -m tests.fakebot --port N``: serve standalone and print the bound port."""

from __future__ import annotations

import argparse
import asyncio
import signal

from .server import DEFAULT_TOKEN, FakeTelegram


async def _serve(args: argparse.Namespace) -> None:
    tg = FakeTelegram(token=args.token, host=args.host, port=args.port)
    await tg.start()
    print(tg.port, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await tg.stop()


def main() -> None:
    """Parse arguments and serve until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(description="Fake Telegram Bot API server for tests")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    asyncio.run(_serve(parser.parse_args()))


if __name__ == "__main__":
    main()
