// The access-log format headroom writes and reads: the one contract between the live stack's
// nginx (which logs in it), calibration (which parses it) and a production nginx whose team adds
// it to fit headroom's models to their own traffic. Fields are key=value after the request line so
// a parser never guesses positions; values are nginx's own variables, unchanged:
//   $msec                     end of the request, seconds since the epoch (ms resolution)
//   $status                   status sent to the client
//   $request_time             first byte read from the client → last byte sent (nginx's whole time)
//   $upstream_connect_time    per upstream try, comma-separated ("-" when none)
//   $upstream_response_time   per upstream try, comma-separated; ":" separates internal redirects
//   $upstream_addr            per upstream try, host:port
//   $upstream_status          per upstream try
//   $proxy_host               the upstream group's name (proxy_pass http://NAME): which pool served it
export const LOG_FORMAT_NAME = 'headroom';
export const LOG_FORMAT =
  '$remote_addr [$time_iso8601] "$request" $status $body_bytes_sent ' +
  'msec=$msec rt=$request_time uct="$upstream_connect_time" urt="$upstream_response_time" ' +
  'ua="$upstream_addr" us="$upstream_status" up=$proxy_host';

/** The nginx directive that declares it, for an http {} block. */
export const LOG_FORMAT_DIRECTIVE = `log_format ${LOG_FORMAT_NAME} '${LOG_FORMAT}';`;
