// Baseline servers: the least a broadcast server can do. No auth, no database, no
// validation. Socket.IO: clients `join` rooms, `send` broadcasts `message:new` to the
// room with an ack. ws: the same over raw WebSocket with JSON frames.
// Run as: node --import tsx bench/lib/bareServer.ts socketio|ws <port>
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { WebSocketServer, type WebSocket } from 'ws';

const [kind, portArg] = process.argv.slice(2);
const port = Number(portArg);
const httpServer = createServer();

if (kind === 'socketio') {
  const io = new Server(httpServer, { path: '/socket.io', maxHttpBufferSize: 64 * 1024 });
  io.on('connection', (socket) => {
    socket.on('join', (rooms: string[], ack?: () => void) => {
      void socket.join(rooms);
      ack?.();
    });
    socket.on('send', (payload: { roomId: string; clientId: string; text: string }, ack?: (a: unknown) => void) => {
      const message = { id: payload.clientId, roomId: payload.roomId, clientId: payload.clientId, text: payload.text, createdAt: new Date().toISOString() };
      io.to(payload.roomId).emit('message:new', { message });
      ack?.({ ok: true, message });
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
