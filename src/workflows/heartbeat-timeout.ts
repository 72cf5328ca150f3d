/**
 * How long a running step may stay silent before Temporal counts its worker as gone and retries it elsewhere.
 * Every long step heartbeats every 2 s (`withHeartbeats` in src/activities), so seconds suffice; the start-to-close
 * timeouts (minutes) then only bound a step that is alive but slow.
 */
export const HEARTBEAT_TIMEOUT = '30 seconds';
