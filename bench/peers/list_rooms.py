"""One list_rooms call in a Python process (the floor for `plan` with nothing to change).

Run: python list_rooms.py EXPECTED   (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET)
"""
import asyncio
import os
import sys

from livekit import api


async def main(expected: int) -> None:
    lkapi = api.LiveKitAPI(
        url=os.environ["LIVEKIT_URL"],
        api_key=os.environ["LIVEKIT_API_KEY"],
        api_secret=os.environ["LIVEKIT_API_SECRET"],
    )
    try:
        res = await lkapi.room.list_rooms(api.ListRoomsRequest())
        if len(res.rooms) != expected:
            sys.exit(f"expected {expected} rooms, got {len(res.rooms)}")
    finally:
        await lkapi.aclose()


asyncio.run(main(int(sys.argv[1])))
