#!/bin/sh
# Writes (or rotates) one vendor's key for deploy/nginx/hookscope-team.conf, then reloads
# nginx. The key comes on standard input, never on the command line (where `ps` and the
# shell's history would show it):
#     sudo sh hookscope-key.sh bland < /path/to/new-key      (or type it, then Ctrl-D)
# It writes /etc/nginx/hookscope-keys/<vendor>.conf (folder 0700, file 0600, owner: whoever
# runs it, so root) as `set $hookscope_<vendor>_key "<key>";`, checks the config with
# `nginx -t`, puts the previous file back if that fails, and reloads nginx (new requests
# use the new key at once; the old one can then be revoked at the vendor).
# HOOKSCOPE_KEYS_DIR sets another folder; HOOKSCOPE_NO_RELOAD=1 skips the check and reload.
set -eu
usage() {
    echo "usage: $0 bland|burki|talkover < key-file" >&2
    exit 2
}
[ $# -eq 1 ] || usage
vendor=$1
case $vendor in
bland | burki | talkover) ;;
*) usage ;;
esac
dir=${HOOKSCOPE_KEYS_DIR:-/etc/nginx/hookscope-keys}
umask 077
key=$(cat)                               # (drops the final newline)
key=$(printf '%s' "$key" | tr -d '\r')   # (and a Windows line end)
case $key in
*"
"*)
    echo "refused: the key must be one line (nothing written)" >&2
    exit 1
    ;;
esac
# Only characters that are safe inside nginx's quotes (a "$" would be read as a variable,
# a quote would end the string) and in a header.
case $key in
'' | *[!A-Za-z0-9._~+/=-]*)
    echo "refused: a key is letters, digits and . _ ~ + / = - only (nothing written)" >&2
    exit 1
    ;;
esac
mkdir -p "$dir"
chmod 0700 "$dir"
file=$dir/$vendor.conf
tmp=$(mktemp "$dir/.$vendor.conf.XXXXXX")
printf 'set $hookscope_%s_key "%s";\n' "$vendor" "$key" >"$tmp"
chmod 0600 "$tmp"
if [ -e "$file" ]; then cp -p "$file" "$file.previous"; fi
mv -f "$tmp" "$file"
if [ -n "${HOOKSCOPE_NO_RELOAD:-}" ]; then
    rm -f "$file.previous"
    exit 0
fi
if nginx -t 2>/dev/null; then
    rm -f "$file.previous"
    nginx -s reload
    echo "hookscope: $vendor's key written and nginx reloaded"
else
    if [ -e "$file.previous" ]; then mv -f "$file.previous" "$file"; else rm -f "$file"; fi
    echo "hookscope: nginx -t failed with the new file; the previous one is back" >&2
    exit 1
fi
