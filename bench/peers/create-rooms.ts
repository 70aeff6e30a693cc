/**
 * A plain livekit-server-sdk loop: create N rooms at concurrency C, one client, no framework.
 * Run: node bench/peers/create-rooms.ts N C   (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET)
 */
import { RoomServiceClient } from 'livekit-server-sdk';

const n = Number(process.argv[2]);
const concurrency = Number(process.argv[3]);
const env = (name: string): string => process.env[name] ?? '';
const client = new RoomServiceClient(
  env('LIVEKIT_URL'),
  env('LIVEKIT_API_KEY'),
  env('LIVEKIT_API_SECRET'),
);
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < n; i = next++) {
      await client.createRoom({ name: `room-${i}`, emptyTimeout: 3600 });
    }
  }),
);
