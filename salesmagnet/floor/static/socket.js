// A Socket.IO client over one WebSocket, written for the floor pages (no third-party code).
//
// Two protocols ride in each WebSocket text frame:
//   Engine.IO v4 packets: a type digit, then data. 0 open {sid, pingInterval, pingTimeout},
//     1 close, 2 ping (the server's; answered 3 pong), 4 message (a Socket.IO packet).
//   Socket.IO v5 packets (in a 4 message): a type digit, an optional "/namespace," and ack id,
//     then JSON. 0 connect (client: with the auth object; server: {sid}), 1 disconnect,
//     2 event ["name", payload], 3 ack, 4 connect_error {message}.
// Only the default namespace and text frames are spoken: that is all the server sends.

export const ENGINE = { OPEN: "0", CLOSE: "1", PING: "2", PONG: "3", MESSAGE: "4" };
export const SOCKET = { CONNECT: "0", DISCONNECT: "1", EVENT: "2", ACK: "3", CONNECT_ERROR: "4" };
export const RETRY_MS = [250, 500, 1000, 2000, 4000, 5000];

/** The WebSocket URL of the Socket.IO endpoint of an http(s) origin. */
export function socketUrl(origin) {
  const url = new URL("/socket.io/", origin);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.search = "?EIO=4&transport=websocket";
  return url.toString();
}

/** One Engine.IO frame: {type, data}. */
export function decodeEngine(frame) {
  return { type: frame.charAt(0), data: frame.slice(1) };
}

/** One Socket.IO packet (an Engine.IO message's data): {type, namespace, id, payload}. */
export function decodeSocket(data) {
  const type = data.charAt(0);
  let rest = data.slice(1);
  let namespace = "/";
  if (rest.startsWith("/")) {
    const comma = rest.indexOf(",");
    namespace = comma < 0 ? rest : rest.slice(0, comma);
    rest = comma < 0 ? "" : rest.slice(comma + 1);
  }
  const digits = /^\d*/.exec(rest)[0];
  const id = digits ? Number(digits) : null;
  rest = rest.slice(digits.length);
  return { type, namespace, id, payload: rest ? JSON.parse(rest) : null };
}

/** The frame that connects to the default namespace with `auth`. */
export function connectFrame(auth) {
  return ENGINE.MESSAGE + SOCKET.CONNECT + JSON.stringify(auth);
}

/**
 * A connection that keeps itself open: on a close, an error or a silent server (no ping within
 * pingInterval + pingTimeout) it reconnects with backoff, asking `auth()` again each time (so the
 * page can give a renewed token and its last seq).
 *
 * Listeners: `on(name, fn)` for server events by name, "event" for every one ({name, payload}),
 * "state" (connecting, connected, reconnecting, closed) and "connect_error" ({message}).
 */
export class Socket {
  constructor(origin, auth) {
    this.url = socketUrl(origin);
    this.auth = auth;
    this.listeners = new Map();
    this.attempt = 0;
    this.stopped = true;
    this.state = "closed";
    this.ws = null;
    this.silence = null;
  }

  on(name, fn) {
    if (!this.listeners.has(name)) this.listeners.set(name, []);
    this.listeners.get(name).push(fn);
    return this;
  }

  emitLocal(name, payload) {
    for (const fn of this.listeners.get(name) || []) {
      try {
        fn(payload);
      } catch (error) {
        console.error(`listener of ${name} failed`, error);
      }
    }
  }

  open() {
    this.stopped = false;
    this.dial();
  }

  close() {
    this.stopped = true;
    clearTimeout(this.silence);
    clearTimeout(this.redial);
    if (this.ws) {
      this.sendFrame(ENGINE.MESSAGE + SOCKET.DISCONNECT);
      this.ws.close();
    }
    this.setState("closed");
  }

  /** Drop the connection as a network failure would (it reconnects). */
  drop() {
    if (this.ws) this.ws.close();
  }

  setState(state) {
    if (state === this.state) return;
    this.state = state;
    this.emitLocal("state", state);
  }

  dial() {
    this.setState(this.attempt === 0 ? "connecting" : "reconnecting");
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onmessage = (message) => {
      if (ws === this.ws && typeof message.data === "string") this.receive(message.data);
    };
    ws.onerror = () => ws.close();
    ws.onclose = () => {
      if (ws === this.ws) this.lost();
    };
  }

  lost() {
    clearTimeout(this.silence);
    this.ws = null;
    if (this.stopped) return;
    this.setState("reconnecting");
    const wait = RETRY_MS[Math.min(this.attempt, RETRY_MS.length - 1)];
    this.attempt += 1;
    this.redial = setTimeout(() => this.dial(), wait * (0.75 + Math.random() / 2));
  }

  sendFrame(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  /** Expect a ping within the server's interval and timeout, or take the connection as dead. */
  watch() {
    clearTimeout(this.silence);
    const ws = this.ws;
    this.silence = setTimeout(() => ws && ws.close(), this.pingInterval + this.pingTimeout);
  }

  async receive(frame) {
    const { type, data } = decodeEngine(frame);
    if (type === ENGINE.OPEN) {
      const open = JSON.parse(data);
      this.pingInterval = open.pingInterval;
      this.pingTimeout = open.pingTimeout;
      this.watch();
      const ws = this.ws;
      let auth;
      try {
        auth = await this.auth();
      } catch (error) {
        this.emitLocal("connect_error", { message: String(error.message || error) });
        ws.close();
        return;
      }
      if (ws === this.ws) this.sendFrame(connectFrame(auth));
    } else if (type === ENGINE.PING) {
      this.sendFrame(ENGINE.PONG);
      this.watch();
    } else if (type === ENGINE.CLOSE) {
      this.ws.close();
    } else if (type === ENGINE.MESSAGE) {
      this.packet(decodeSocket(data));
    }
  }

  packet({ type, namespace, payload }) {
    if (namespace !== "/") return;
    if (type === SOCKET.CONNECT) {
      this.attempt = 0;
      this.setState("connected");
    } else if (type === SOCKET.CONNECT_ERROR) {
      this.emitLocal("connect_error", payload || { message: "refused" });
      this.ws.close();
    } else if (type === SOCKET.DISCONNECT) {
      this.ws.close();
    } else if (type === SOCKET.EVENT && Array.isArray(payload) && typeof payload[0] === "string") {
      this.emitLocal("event", { name: payload[0], payload: payload[1] });
      this.emitLocal(payload[0], payload[1]);
    }
  }
}
