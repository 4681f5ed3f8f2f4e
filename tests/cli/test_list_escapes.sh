# `lanyard list` must not let a schedule drive the terminal: every control
# character and escape sequence in a title, room, track or speaker is
# neutralised (the browser draws the same text the same way).
. tests/cli/lib.sh
export PATH="$(dirname "$LANYARD_BIN"):$PATH"
csv=$TMP/hostile.csv
{
	printf 'id,title,date,start,end,track,room,speakers\n'
	printf 'H1,Window \033]0;pwned\007title,2022-05-18,10:00,10:30,Sec\033[6nurity,Room \033[?1049h9,Eve\bil\n'
	printf 'H2,Clip \033]52;c;cm0gLXJmIH4=\033\\board,2022-05-18,11:00,11:30,"DCS \033Pq#0\033\\ end",Hall \302\233 2J,Bell\007e\n'
	printf 'H3,Plain title,2022-05-18,12:00,12:30,Track,Room 1,Ann\n'
} >"$csv"
t lanyard import --db "$DB" "$csv"
t lanyard list --db "$DB"
# No byte below 0x20 but TAB and LF, no DEL, no C1 control (U+0080-U+009F as UTF-8).
if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$OUT" ||
   LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$OUT"; then
	echo "control characters reached the output:"
	od -c "$OUT" | head -40
	exit 1
fi
finish
