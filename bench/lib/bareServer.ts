// Baseline servers: the least a broadcast server can do. No auth, no validation.
// socketio: clients `join` rooms, `send` broadcasts `message:new` to the room with an
// ack; no database. socketio-insert: the same, but each send first does the insertOne
// Parley's send path does (the same driver options through server/persistence/database.ts,
// the same document shape with a per-room seq, into a collection with the same indexes
// in the same database): the honest floor for a chat server that stores before it
// delivers. ws: the socketio baseline over raw WebSocket with JSON frames.
// Run as: node --import tsx bench/lib/bareServer.ts socketio|ws <port>
//         node --import tsx bench/lib/bareServer.ts socketio-insert <port> <mongoUri> <dbName>
import { createServer } from 'node:http';
import { ObjectId, type Collection } from 'mongodb';
import { Server } from 'socket.io';
import { WebSocketServer, type WebSocket } from 'ws';
import { connectDatabase } from '../../server/persistence/database.js';
import type { MessageDoc } from '../../server/persistence/messages.js';

const [kind, portArg, mongoUri, dbName] = process.argv.slice(2);
const port = Number(portArg);
const httpServer = createServer();

/** The bare insert's collection: Parley's messages indexes, under Parley's index names. */
async function bareMessages(): Promise<Collection<MessageDoc>> {
  if (!mongoUri || !dbName) throw new Error('socketio-insert needs <mongoUri> <dbName>');
  const { db } = await connectDatabase(mongoUri, dbName);
  const collection = db.collection<MessageDoc>('bareMessages');
  // A fresh collection per start: this process's seq counters begin at 1.
  await collection.drop().catch(() => {});
  await collection.createIndex({ roomId: 1, seq: 1 }, { unique: true, name: 'room_seq' });
  await collection.createIndex({ authorId: 1, clientId: 1 }, { unique: true, name: 'send_idempotency' });
  return collection;
}

if (kind === 'socketio' || kind === 'socketio-insert') {
  const store = kind === 'socketio-insert' ? await bareMessages() : null;
  const nextSeq = new Map<string, number>();
  const io = new Server(httpServer, { path: '/socket.io', maxHttpBufferSize: 64 * 1024 });
  io.on('connection', (socket) => {
    const { userId, username } = socket.handshake.auth as { userId?: string; username?: string };
    const authorId = new ObjectId(userId);
    socket.on('join', (rooms: string[], ack?: () => void) => {
      void socket.join(rooms);
      ack?.();
    });
    socket.on('send', (payload: { roomId: string; clientId: string; text: string }, ack?: (a: unknown) => void) => {
      const deliver = (id: string, createdAt: Date, seq: number) => {
        const message = {
          id,
          roomId: payload.roomId,
          authorId: authorId.toHexString(),
          authorUsername: username ?? '',
          clientId: payload.clientId,
          text: payload.text,
          seq,
          createdAt: createdAt.toISOString(),
        };
        io.to(payload.roomId).emit('message:new', { message });
        ack?.({ ok: true, message });
      };
      if (!store) return deliver(payload.clientId, new Date(), 0);
      const seq = nextSeq.get(payload.roomId) ?? 1;
      nextSeq.set(payload.roomId, seq + 1);
      const doc: MessageDoc = {
        _id: new ObjectId(),
        roomId: new ObjectId(payload.roomId),
        seq,
        authorId,
        authorUsername: username ?? '',
        text: payload.text,
        clientId: payload.clientId,
        createdAt: new Date(),
      };
      store.insertOne(doc).then(
        () => deliver(doc._id.toHexString(), doc.createdAt, seq),
        (error: unknown) => ack?.({ ok: false, error: { code: 'internal', message: String(error) } }),
      );
    });
  });
} else if (kind === 'ws') {
  const wss = new WebSocketServer({ server: httpServer, perMessageDeflate: false });
  const rooms = new Map<string, Set<WebSocket>>();
  wss.on('connection', (ws) => {
    const mine: string[] = [];
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; rooms?: string[]; roomId?: string; clientId?: string; text?: string };
      if (frame.type === 'join') {
        for (const room of frame.rooms ?? []) {
          let set = rooms.get(room);
          if (!set) rooms.set(room, (set = new Set()));
          set.add(ws);
          mine.push(room);
        }
        ws.send(JSON.stringify({ type: 'joined' }));
      } else if (frame.type === 'send') {
        const message = { id: frame.clientId, roomId: frame.roomId, clientId: frame.clientId, text: frame.text, createdAt: new Date().toISOString() };
        const out = JSON.stringify({ type: 'message:new', message });
        for (const peer of rooms.get(frame.roomId!) ?? []) peer.send(out);
      }
    });
    ws.on('close', () => {
      for (const room of mine) rooms.get(room)?.delete(ws);
    });
  });
} else {
  throw new Error(`unknown bare server kind ${kind}`);
}

httpServer.listen(port, '127.0.0.1', () => process.send?.({ ready: true }));
process.on('SIGTERM', () => process.exit(0));
