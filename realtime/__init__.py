"""Socket.IO push: token-authenticated sockets in exactly two rooms, ordered replay, presence."""
