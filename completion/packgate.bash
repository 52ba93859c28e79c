# bash completion for packgate(1)                         -*- shell-script -*-
#
# Completes commands, global and per-command options (the option table of
# src/main.c), option values (--state, --target, --sort, --compress, --name,
# paths), PACK/DIR/FILE operands as files, and REF operands from the
# configured registry by running `packgate list --json` (only when the
# registry file exists, so completing never creates one; under `timeout 2`
# when available; any failure just gives no REF candidates).
#
# Self-contained: it uses bash-completion's _filedir when it is loaded and
# plain compgen otherwise.  Install as
# $(pkg-config --variable=completionsdir bash-completion)/packgate, or source
# it from ~/.bashrc.

_packgate_commands='demo inspect verify build sign canon import list show lineage approve transition log audit push pull sync'
_packgate_states='candidate evaluated approved shadow canary champion archived quarantined retired'
_packgate_sorts='name version state created_at operator -name -version -state -created_at -operator'
_packgate_global_opts='--registry --policy --gnupghome --key --config --json --help --version'
# every option that takes a value (getopt_long required_argument)
_packgate_value_opts=' --registry --policy --gnupghome --key --config -o --output --compress --dir --state --name --search --sort --limit --offset --depth --target --comment --passphrase-file --remote '

# _packgate_command_opts CMD: the options CMD takes besides the global ones.
_packgate_command_opts()
{
	case $1 in
	demo) echo '--dir --no-tui' ;;
	build) echo '-o --output --compress' ;;
	sign) echo '-o --output --passphrase-file' ;;
	list) echo '--state --name --search --sort --limit --offset' ;;
	lineage) echo '--descendants --depth' ;;
	approve) echo '--reject --target --comment --passphrase-file' ;;
	transition) echo '--comment --passphrase-file' ;;
	push | pull | sync) echo '--remote' ;;
	esac
}

# Rebuilds the words bash split at COMP_WORDBREAKS characters that occur in
# packgate arguments (':' in NAME:ALIAS and URLs, '@' in NAME@VERSION, '='
# in --option=value) into _pg_words/_pg_cword.
_packgate_words()
{
	local wb=${COMP_WORDBREAKS-} brk='' i w join=0
	[[ $wb == *:* ]] && brk+=':'
	[[ $wb == *@* ]] && brk+='@'
	[[ $wb == *=* ]] && brk+='='
	_pg_words=()
	_pg_cword=0
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		if [[ -n $brk && -n $w && -z ${w//[$brk]/} && ${#_pg_words[@]} -gt 1 ]]; then
			# a run of break characters: glue it to the previous word
			_pg_words[${#_pg_words[@]} - 1]+=$w
			join=1
		elif ((join)); then
			_pg_words[${#_pg_words[@]} - 1]+=$w
			join=0
		else
			_pg_words+=("$w")
		fi
		((i == COMP_CWORD)) && _pg_cword=$((${#_pg_words[@]} - 1))
	done
	((COMP_CWORD >= ${#COMP_WORDS[@]})) && { _pg_words+=(''); _pg_cword=$((${#_pg_words[@]} - 1)); }
	return 0
}

# _packgate_trim BASE: bash replaces only the part of the word after its last
# break character, so drop that much of BASE from every candidate.
_packgate_trim()
{
	local base=$1 wb=${COMP_WORDBREAKS-} pre='' i c
	for ((i = ${#base} - 1; i >= 0; i--)); do
		c=${base:i:1}
		if [[ ( $c == : || $c == @ || $c == = ) && $wb == *"$c"* ]]; then
			pre=${base:0:i+1}
			break
		fi
	done
	[[ -n $pre ]] || return 0
	for i in "${!COMPREPLY[@]}"; do
		COMPREPLY[i]=${COMPREPLY[i]#"$pre"}
	done
}

# _packgate_words_for CUR WORDLIST: COMPREPLY = the words starting with CUR.
_packgate_words_for()
{
	local IFS=$' \t\n'
	mapfile -t COMPREPLY < <(compgen -W "$2" -- "$1")
	_packgate_trim "$1"
}

# _packgate_files CUR [-d]: file (or directory) names.
_packgate_files()
{
	local cur=$1
	if declare -F _filedir >/dev/null 2>&1; then
		_filedir ${2:+-d}
	else
		if [[ $2 == -d ]]; then
			mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
		compopt -o filenames 2>/dev/null
	fi
	_packgate_trim "$cur"
}

# Expands a leading ~ in a path typed on the command line.
_packgate_tilde()
{
	# shellcheck disable=SC2088 # the literal text typed, not an expansion
	case $1 in
	'~') printf '%s' "$HOME" ;;
	'~/'*) printf '%s' "$HOME/${1#'~/'}" ;;
	*) printf '%s' "$1" ;;
	esac
}

# _packgate_config_registry FILE: the registry a config file names (the last
# non-empty `registry = ...` line), made absolute against the file's
# directory as packgate does.
_packgate_config_registry()
{
	local file=$1 line key val out=''
	[[ -r $file ]] || return 1
	while IFS= read -r line || [[ -n $line ]]; do
		line=${line#"${line%%[![:space:]]*}"}
		[[ -z $line || $line == '#'* || $line != *=* ]] && continue
		key=${line%%=*}
		key=${key%"${key##*[![:space:]]}"}
		[[ $key == registry ]] || continue
		val=${line#*=}
		val=${val#"${val%%[![:space:]]*}"}
		val=${val%"${val##*[![:space:]]}"}
		[[ -n $val ]] || continue
		if [[ $val != /* && $file == */* ]]; then
			val=${file%/*}/$val
		fi
		out=$val
	done <"$file"
	[[ -n $out ]] && printf '%s' "$out"
}

# Which registry the command line being completed would open, following
# the precedence of packgate(1): --registry, the --config file,
# PACKGATE_REGISTRY, the default config file, the default path.
_packgate_registry()
{
	local i w reg='' cfg='' r base
	for ((i = 1; i < ${#_pg_words[@]}; i++)); do
		((i == _pg_cword)) && continue
		w=${_pg_words[i]}
		[[ $w == -- ]] && break
		case $w in
		--registry=*) reg=${w#*=} ;;
		--registry) ((i + 1 != _pg_cword)) && reg=${_pg_words[i + 1]} ;;
		--config=*) cfg=${w#*=} ;;
		--config) ((i + 1 != _pg_cword)) && cfg=${_pg_words[i + 1]} ;;
		esac
	done
	reg=$(_packgate_tilde "$reg")
	cfg=$(_packgate_tilde "$cfg")
	_pg_config=$cfg
	if [[ -n $reg ]]; then
		printf '%s' "$reg"
		return
	fi
	if [[ -n $cfg ]] && r=$(_packgate_config_registry "$cfg"); then
		printf '%s' "$r"
		return
	fi
	if [[ -n ${PACKGATE_REGISTRY-} ]]; then
		printf '%s' "$PACKGATE_REGISTRY"
		return
	fi
	if [[ -z $cfg ]]; then
		base=${XDG_CONFIG_HOME-}
		[[ $base == /* ]] || base=$HOME/.config
		if r=$(_packgate_config_registry "$base/packgate/config"); then
			printf '%s' "$r"
			return
		fi
	fi
	base=${XDG_DATA_HOME-}
	[[ $base == /* ]] || base=$HOME/.local/share
	printf '%s' "$base/packgate/registry.db"
}

# Fills _pg_packs with "ID NAME VERSION STATE" lines from the registry, or
# leaves it empty.
_packgate_packs()
{
	local prog reg json obj id name version state
	local -a run_
	_pg_packs=()
	_pg_config=''
	reg=$(_packgate_registry)
	[[ -n $reg && -f $reg ]] || return 0
	prog=$(_packgate_tilde "${_pg_words[0]}")
	if [[ $prog != */* ]] || [[ ! -x $prog ]]; then
		prog=$(type -P "$prog" 2>/dev/null) || prog=$(type -P packgate 2>/dev/null) || return 0
	fi
	run_=("$prog" --registry "$reg")
	[[ -n $_pg_config ]] && run_+=(--config "$_pg_config")
	run_+=(list --json)
	if type -P timeout >/dev/null 2>&1; then
		run_=(timeout 2 "${run_[@]}")
	fi
	json=$("${run_[@]}" </dev/null 2>/dev/null) || return 0
	# canonical JSON: {"ok":true,"packs":[{...},{...}]}, members sorted
	[[ $json == '{"ok":true,"packs":['* ]] || return 0
	json=${json//'},{'/$'}\n{'}
	while IFS= read -r obj; do
		[[ $obj =~ \"id\":\"(sha256:[0-9a-f]{64})\" ]] || continue
		id=${BASH_REMATCH[1]}
		[[ $obj =~ \"name\":\"([a-z0-9._-]+)\" ]] || continue
		name=${BASH_REMATCH[1]}
		[[ $obj =~ \"version\":\"([0-9A-Za-z.+-]+)\" ]] || continue
		version=${BASH_REMATCH[1]}
		[[ $obj =~ \"state\":\"([a-z]+)\" ]] || continue
		state=${BASH_REMATCH[1]}
		_pg_packs+=("$id $name $version $state")
	done <<<"$json"
	return 0
}

# _packgate_refs CUR: REF candidates: NAME@VERSION, NAME:latest and, where
# such a pack exists, NAME:champion and NAME:canary; whole ids when CUR
# starts like one.
_packgate_refs()
{
	local cur=$1 p id name version state words='' last=''
	local -A champion=() canary=()
	_packgate_packs
	for p in "${_pg_packs[@]}"; do
		read -r id name version state <<<"$p"
		[[ $state == champion ]] && champion[$name]=1
		[[ $state == canary ]] && canary[$name]=1
	done
	for p in "${_pg_packs[@]}"; do
		read -r id name version state <<<"$p"
		if [[ -n $last && $name != "$last" ]]; then
			words+=" $last:latest"
			[[ -n ${champion[$last]-} ]] && words+=" $last:champion"
			[[ -n ${canary[$last]-} ]] && words+=" $last:canary"
		fi
		last=$name
		words+=" $name@$version"
		[[ $cur == sha* ]] && words+=" $id"
		[[ -n $cur && $cur =~ ^[0-9a-f]+$ ]] && words+=" ${id#sha256:}"
	done
	if [[ -n $last ]]; then
		words+=" $last:latest"
		[[ -n ${champion[$last]-} ]] && words+=" $last:champion"
		[[ -n ${canary[$last]-} ]] && words+=" $last:canary"
	fi
	_packgate_words_for "$cur" "$words"
}

# _packgate_names CUR: pack names in the registry (for --name).
_packgate_names()
{
	local cur=$1 p id name version state words='' last=''
	_packgate_packs
	for p in "${_pg_packs[@]}"; do
		read -r id name version state <<<"$p"
		[[ $name == "$last" ]] || words+=" $name"
		last=$name
	done
	_packgate_words_for "$cur" "$words"
}

# _packgate_value OPTION CUR: completes the value of an option.
_packgate_value()
{
	case $1 in
	--registry | --policy | --config | -o | --output | --passphrase-file)
		_packgate_files "$2" ;;
	--gnupghome | --dir)
		_packgate_files "$2" -d ;;
	--compress)
		_packgate_words_for "$2" 'none gzip zstd' ;;
	--state | --target)
		_packgate_words_for "$2" "$_packgate_states" ;;
	--sort)
		_packgate_words_for "$2" "$_packgate_sorts" ;;
	--name)
		_packgate_names "$2" ;;
	*)
		COMPREPLY=() ;;
	esac
}

_packgate()
{
	local _pg_words _pg_cword _pg_packs _pg_config
	local cur i w cmd='' nargs=0 dashdash=0 value_of=''
	COMPREPLY=()
	_packgate_words
	cur=${_pg_words[_pg_cword]}

	# Where are we: the command (the first operand), how many operands
	# follow it, whether "--" ended the options, and whether the word
	# being completed is the value of an option.
	for ((i = 1; i < _pg_cword; i++)); do
		w=${_pg_words[i]}
		if ((dashdash)) || [[ $w != -?* ]]; then
			if [[ -z $cmd ]]; then cmd=$w; else nargs=$((nargs + 1)); fi
		elif [[ $w == -- ]]; then
			dashdash=1
		elif [[ $w != *=* && $_packgate_value_opts == *" $w "* ]]; then
			if ((i + 1 == _pg_cword)); then
				value_of=$w
				break
			fi
			i=$((i + 1))
		fi
	done

	if [[ -n $value_of ]]; then
		_packgate_value "$value_of" "$cur"
		return 0
	fi
	if ((!dashdash)) && [[ $cur == --*=* ]]; then
		_packgate_value "${cur%%=*}" "${cur#*=}"
		return 0
	fi
	if ((!dashdash)) && [[ $cur == -* ]]; then
		_packgate_words_for "$cur" "$_packgate_global_opts $(_packgate_command_opts "$cmd")"
		return 0
	fi
	if [[ -z $cmd ]]; then
		_packgate_words_for "$cur" "$_packgate_commands"
		return 0
	fi
	case $cmd in
	inspect | verify | sign | canon)
		((nargs == 0)) && _packgate_files "$cur" ;;
	import)
		_packgate_files "$cur" ;;
	build)
		((nargs == 0)) && _packgate_files "$cur" -d ;;
	show | lineage | approve | log)
		((nargs == 0)) && _packgate_refs "$cur" ;;
	transition)
		if ((nargs == 0)); then
			_packgate_refs "$cur"
		elif ((nargs == 1)); then
			_packgate_words_for "$cur" "$_packgate_states"
		fi ;;
	push)
		_packgate_refs "$cur" ;;
	esac
	return 0
}

complete -F _packgate packgate
