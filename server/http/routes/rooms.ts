import { Router } from '@koa/router';
import {
  addMemberBody,
  createRoomBody,
  historyQuery,
  markReadBody,
  renameRoomBody,
  roomIdParam,
  sendMessageBody,
  setRoleBody,
  userIdParam,
  type HistoryPage,
  type MessageResponse,
  type RoomDetailResponse,
  type RoomSummaryResponse,
  type RoomsResponse,
} from '../../../src/shared/contract.js';
import type { UsageLimits } from '../../infra/limits.js';
import type { AuthService } from '../../services/auth.js';
import type { MessageService } from '../../services/messages.js';
import type { RoomService } from '../../services/rooms.js';
import { requireSession } from '../middleware/authenticate.js';
import { perUserLimit } from '../middleware/usageLimit.js';
import type { RequestContext, RequestState } from '../requestState.js';
import { parseInput } from '../validate.js';

const roomId = (ctx: RequestContext) => parseInput(roomIdParam, ctx.params.roomId);
const userId = (ctx: RequestContext) => parseInput(userIdParam, ctx.params.userId);
const me = (ctx: RequestContext) => ctx.state.auth.user;

export function roomRoutes(auth: AuthService, rooms: RoomService, messages: MessageService, limits: UsageLimits): Router<RequestState> {
  const router = new Router<RequestState>();
  const authed = requireSession(auth);
  // Per-user budgets, shared with the socket events (a send here spends the same budget as message:send).
  const creating = perUserLimit((userId) => limits.createRoom(userId));
  const changing = perUserLimit((userId) => limits.changeRoom(userId));
  const sending = perUserLimit((userId) => limits.send(userId));

  router.get('/rooms', authed, async (ctx) => {
    const body: RoomsResponse = { rooms: await rooms.list(me(ctx).id) };
    ctx.body = body;
  });

  router.post('/rooms', authed, creating, async (ctx) => {
    const { name } = parseInput(createRoomBody, ctx.request.body);
    const body: RoomSummaryResponse = { room: await rooms.create(me(ctx).id, me(ctx).username, name) };
    ctx.status = 201;
    ctx.body = body;
  });

  router.get('/rooms/:roomId', authed, async (ctx) => {
    const body: RoomDetailResponse = { room: await rooms.detail(roomId(ctx), me(ctx).id) };
    ctx.body = body;
  });

  router.patch('/rooms/:roomId', authed, changing, async (ctx) => {
    const id = roomId(ctx);
    const { name } = parseInput(renameRoomBody, ctx.request.body);
    const body: RoomDetailResponse = { room: await rooms.rename(id, me(ctx).id, name) };
    ctx.body = body;
  });

  router.delete('/rooms/:roomId', authed, changing, async (ctx) => {
    await rooms.delete(roomId(ctx), me(ctx).id);
    ctx.status = 204;
  });

  router.post('/rooms/:roomId/members', authed, changing, async (ctx) => {
    const id = roomId(ctx);
    const { username } = parseInput(addMemberBody, ctx.request.body);
    const body: RoomDetailResponse = { room: await rooms.addMember(id, me(ctx).id, username) };
    ctx.status = 201;
    ctx.body = body;
  });

  router.delete('/rooms/:roomId/members/:userId', authed, changing, async (ctx) => {
    await rooms.removeMember(roomId(ctx), me(ctx).id, userId(ctx));
    ctx.status = 204;
  });

  router.put('/rooms/:roomId/members/:userId/role', authed, changing, async (ctx) => {
    const [id, target] = [roomId(ctx), userId(ctx)];
    const { role } = parseInput(setRoleBody, ctx.request.body);
    const body: RoomDetailResponse = { room: await rooms.setRole(id, me(ctx).id, target, role) };
    ctx.body = body;
  });

  router.get('/rooms/:roomId/messages', authed, async (ctx) => {
    const id = roomId(ctx);
    const query = parseInput(historyQuery, ctx.query);
    const body: HistoryPage = await messages.history(id, me(ctx).id, query);
    ctx.body = body;
  });

  // The same send as the socket's message:send, for clients without a live connection.
  router.post('/rooms/:roomId/messages', authed, sending, async (ctx) => {
    const id = roomId(ctx);
    const { clientId, text } = parseInput(sendMessageBody, ctx.request.body);
    const body: MessageResponse = { message: await messages.send({ roomId: id, authorId: me(ctx).id, clientId, text }) };
    ctx.status = 201;
    ctx.body = body;
  });

  router.post('/rooms/:roomId/read', authed, async (ctx) => {
    const id = roomId(ctx);
    const read = parseInput(markReadBody, ctx.request.body);
    await messages.markRead(id, me(ctx).id, read);
    ctx.status = 204;
  });

  return router;
}
