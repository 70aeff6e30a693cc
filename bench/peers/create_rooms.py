"""The seed's control-plane loop: create N rooms with livekit-api at concurrency C.

Run: python create_rooms.py N C   (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET)
One LiveKitAPI client for the whole loop (the seed opens one per call, which is slower).
"""
import asyncio
import os
import sys

from livekit import api


async def main(n: int, concurrency: int) -> None:
    lkapi = api.LiveKitAPI(
        url=os.environ["LIVEKIT_URL"],
        api_key=os.environ["LIVEKIT_API_KEY"],
        api_secret=os.environ["LIVEKIT_API_SECRET"],
    )
    gate = asyncio.Semaphore(concurrency)

    async def create(i: int) -> None:
        async with gate:
            await lkapi.room.create_room(
                api.CreateRoomRequest(name=f"room-{i}", empty_timeout=3600)
            )

    try:
        await asyncio.gather(*(create(i) for i in range(n)))
    finally:
        await lkapi.aclose()


asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
