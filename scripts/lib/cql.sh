# Shared helpers for the benchmark scripts. Source it; it defines functions only.

# True when a CQL server answers an OPTIONS request on HOST:PORT (HOST defaults to 127.0.0.1)
# with SUPPORTED.
# Request: protocol v4 header (version 0x04, flags 0, stream 1, opcode OPTIONS 0x05, body
# length 0). A server answers with response version 0x84 and opcode SUPPORTED 0x06.
cql_ready() {
  local port="$1" host="${2:-127.0.0.1}"
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$1/$0" || exit 1
    printf "\x04\x00\x00\x01\x05\x00\x00\x00\x00" >&3
    hdr="$(head -c 5 <&3 | od -An -tx1 | tr -d " \n")"
    exec 3>&-
    [[ "$hdr" == 84??????06 ]]
  ' "$port" "$host" 2>/dev/null
}

# True when something accepts TCP connections on HOST:PORT (HOST defaults to 127.0.0.1).
port_in_use() {
  (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null
}
