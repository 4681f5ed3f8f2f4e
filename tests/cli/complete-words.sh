# Run the bash completion for a command line; print the candidates, one a
# line. Usage: bash tests/cli/complete-words.sh WORD... (the last word is the
# one being completed; pass '' for an empty one).
. completion/lanyard.bash
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
_lanyard
printf '%s\n' "${COMPREPLY[@]}" | sort
