#!/bin/sh
# Fails when a translatable string of the sources is missing from, or
# fuzzy or untranslated in, a translation listed in po/LINGUAS, or when a
# source file that marks strings for translation is not in po/POTFILES.in.
# The template is extracted here, as meson's i18n (preset glib) would.
set -eu
src="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

missing=$(cd "$src" && find src -name '*.c' | sort |
            xargs grep -l -E '(^|[^A-Za-z0-9_])(N?_|C_|NC_|g_dngettext|ngettext)[[:space:]]*\(' 2>/dev/null |
            while read -r f; do
              grep -qx "$f" po/POTFILES.in || echo "$f"
            done)
if [ -n "$missing" ]; then
  echo "sources with translatable strings missing from po/POTFILES.in:" >&2
  echo "$missing" >&2
  exit 1
fi

(cd "$src" && xgettext --from-code=UTF-8 --add-comments --package-name=enrollment-desk \
   --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
   --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
   --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
   --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
   --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
   --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
   -f po/POTFILES.in -o "$tmp/template.pot")

status=0
for lang in $(grep -v '^#' "$src/po/LINGUAS"); do
  msgmerge --quiet --no-fuzzy-matching "$src/po/$lang.po" "$tmp/template.pot" -o "$tmp/$lang.po"
  msgfmt --check -o /dev/null "$tmp/$lang.po"
  left=$(msgattrib --untranslated "$tmp/$lang.po"; msgattrib --only-fuzzy "$tmp/$lang.po")
  if [ -n "$left" ]; then
    echo "po/$lang.po is incomplete against the sources:" >&2
    msgattrib --untranslated "$tmp/$lang.po" | grep -A3 '^msgid' | head -40 >&2
    msgattrib --only-fuzzy "$tmp/$lang.po" | grep -A3 '^msgid' | head -40 >&2
    status=1
  else
    echo "po/$lang.po: $(msgfmt --statistics -o /dev/null "$tmp/$lang.po" 2>&1)"
  fi
done
exit $status
