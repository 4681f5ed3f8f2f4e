# bash completion for lanyard(1): commands, options, formats, and from the
# database the conference names (--conf, --name) and talk keys (attend,
# rate, note). Installed by `make install`.

_lanyard()
{
	local cur prev cword words
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cword=$COMP_CWORD
	words=("${COMP_WORDS[@]}")
	COMPREPLY=()

	# The command, the database and conference named so far.
	local i cmd="" db=() conf=() args=0
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--db) db=(--db "${words[i+1]}"); ((i++)) ;;
		--conf) conf=(--conf "${words[i+1]}"); ((i++)) ;;
		--name|--tz|--first-day|--date|--date-order|--column|--day|--track|--search|--status|--format|--min-rating|--remind|-o|--output)
			((i++)) ;;
		-*) ;;
		*)
			if [[ -z $cmd ]]; then
				cmd=${words[i]}
			else
				((args++))
			fi ;;
		esac
	done

	case $prev in
	--db|-o|--output)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--conf|--name)
		local IFS=$'\n'
		COMPREPLY=($(compgen -W "$(lanyard "${db[@]}" __complete confs 2>/dev/null)" -- "$cur")); return ;;
	--format)
		COMPREPLY=($(compgen -W "markdown ics csv json" -- "$cur")); return ;;
	--status)
		COMPREPLY=($(compgen -W "planned attended skipped" -- "$cur")); return ;;
	--min-rating)
		COMPREPLY=($(compgen -W "1 2 3 4 5" -- "$cur")); return ;;
	--date-order)
		COMPREPLY=($(compgen -W "dmy mdy" -- "$cur")); return ;;
	--tz|--first-day|--date|--column|--day|--track|--search|--remind)
		return ;;
	esac

	local opts
	case $cmd in
	"") opts="--db --conf --remind --bell --help --version" ;;
	import) opts="--db --name --tz --first-day --date-order --column --dry-run --help" ;;
	list) opts="--db --conf --day --track --search --status --rated --help" ;;
	attend|rate|note) opts="--db --conf --help" ;;
	export) opts="--db --conf --format --all --min-rating --day -o --help" ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi

	case $cmd in
	"")
		COMPREPLY=($(compgen -W "import list attend rate note export" -- "$cur") $(compgen -f -X '!*.[ct]sv' -- "$cur")) ;;
	import)
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	attend|rate|note)
		if ((args == 0)); then
			local IFS=$'\n'
			COMPREPLY=($(compgen -W "$(lanyard "${db[@]}" "${conf[@]}" __complete keys 2>/dev/null)" -- "$cur"))
		elif ((args == 1)); then
			case $cmd in
			attend) COMPREPLY=($(compgen -W "planned attended skipped none" -- "$cur")) ;;
			rate) COMPREPLY=($(compgen -W "0 1 2 3 4 5" -- "$cur")) ;;
			note) COMPREPLY=($(compgen -W "-" -- "$cur")) ;;
			esac
		fi ;;
	esac
}
complete -F _lanyard lanyard
