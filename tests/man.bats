#!/usr/bin/env bats
# The man pages against the binary: each page's SYNOPSIS and the applet's
# --help list the same verbs and, for each verb, the same options; every
# option a page describes (short and long) is one the verb accepts; the
# pages are mandoc -Tlint clean and their SYNOPSIS brackets balance.

load test_helper

MAN_DIR=$BATS_TEST_DIRNAME/../man
VERB_APPLETS=(shmctl semctl efd memfd mqctl fdstore)
PLAIN_APPLETS=(ipcls ipcgc ipcbench)

# The global options, described once in ipcbox(1) and taken everywhere:
# left out of every comparison.
is_global() {
	case $1 in --trace | -h | --help | --version) return 0 ;; esac
	return 1
}

# opts_of TEXT: the options a usage line names, sorted, one a line,
# global ones left out.  An option is - or -- then a letter, after the
# start, a blank, a [ or a |.
opts_of() {
	local o
	grep -oE '(^|[][ |])--?[A-Za-z][A-Za-z0-9-]*' <<<"$1" |
		sed 's/^[][ |]//' | sort -u |
		while read -r o; do is_global "$o" || printf '%s\n' "$o"; done
}

# skeleton TEXT: a usage line reduced to its brackets, bars and options
# ("[-i] [--all [--json]]"), for comparing how options nest.
skeleton() {
	sed 's/[][|]/ & /g' <<<"$1" | tr -s ' ' '\n' |
		grep -E '^([][|]|--?[A-Za-z][A-Za-z0-9-]*)$' | paste -sd' '
}

# man_forms APPLET: the rendered SYNOPSIS of man/APPLET.1, one form a line
# (continuation lines joined), without the name and [--trace]; the
# -h | --help | --version form left out.
man_forms() {
	mandoc -Tascii "$MAN_DIR/$1.1" | col -b |
		awk -v a="$1" '
			/^SYNOPSIS/ { f = 1; next }
			/^[A-Z]/ { f = 0 }
			!f || NF == 0 { next }
			$1 == a { if (form != "") print form; form = ""; $1 = "" }
			{ form = form " " $0 }
			END { if (form != "") print form }' |
		sed -E 's/[[:space:]]+/ /g; s/^ //; s/^\[--trace\] ?//' |
		grep -v '^-h | --help' || :
}

# help_verbs APPLET: the verb lines of APPLET --help, "VERB ARGS...".
help_verbs() {
	"$1" --help | awk '/^Verbs:/ { f = 1; next } /^$/ { f = 0 }
		f && /^  [^ ]/ { sub(/^ +/, ""); print }'
}

# help_forms APPLET: the Usage forms of an applet without verbs, one a
# line (continuation lines joined), without the name and [--trace].
help_forms() {
	"$1" --help | awk -v a="$1" '
		NR == 1 { sub(/^Usage:/, "") }
		NF == 0 { exit }
		$1 == a { if (form != "") print form; form = ""; $1 = "" }
		{ form = form " " $0 }
		END { if (form != "") print form }' |
		sed -E 's/[[:space:]]+/ /g; s/^ //; s/^\[--trace\] ?//'
}

# help_options APPLET: the options of the Options section of APPLET --help
# ("  -t, --type TYPES"), short and long, sorted.
help_options() {
	"$1" --help | awk '/^Options:/ { f = 1; next } /^$/ { f = 0 }
		f && /^  -/ { print }' |
		grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[ ,]//' | sort -u
}

# man_items APPLET: the option items a page describes, from its mdoc source:
# under .Ss Verbs the items of each verb's own list (.It Fl ...), under
# .Ss Options the items of the list.  One line an item:
#   VERB OPT[:ARG] [OPT[:ARG]...]
# (VERB is - for an applet without verbs; ARG names the argument, if any),
# and one line a verb, "head VERB OPTS...", the options of the verb's
# heading in the Verbs list.
man_items() {
	awk '
	# Options in one mdoc line: the arguments of each Fl up to the next
	# macro, with the Ar that follows an option (directly or after
	# "Ns = Ns") as its argument.
	function opts(line,    n, w, i, fl, out, last) {
		n = split(line, w, /[ \t]+/)
		out = ""; fl = 0; last = ""
		for (i = 1; i <= n; i++) {
			if (w[i] == "Fl") { fl = 1; continue }
			if (w[i] == "Ar" && last != "" && i < n) {
				out = out ":" w[i + 1]; last = ""; i++; fl = 0; continue
			}
			if (w[i] ~ /^[A-Z][a-z][a-z]?$/ || w[i] ~ /^\./) {
				fl = 0
				if (w[i] != "Ns") last = ""
				continue
			}
			if (w[i] == "=") continue
			if (!fl || w[i] ~ /^[,|.;:()]$/) { last = ""; continue }
			out = out " -" w[i]; last = w[i]
		}
		return out
	}
	/^\.S[sh] / { sec = $2; depth = 0; if (verb != "") flush(); next }
	sec != "Verbs" && sec != "Options" { next }
	/^\.Bl/ { depth++; next }
	/^\.El/ { depth--; next }
	function flush() { print "head " verb head; verb = ""; head = "" }
	sec == "Verbs" && depth == 1 && /^\.It/ {
		if (verb != "") flush()
		inhead = 1; head = ""
		if ($2 == "Cm") verb = $3
		if ($2 != "Xo") { head = opts($0); inhead = 0 }
		next
	}
	sec == "Verbs" && inhead {
		if (/^\.Xc/) { inhead = 0; next }
		if (verb == "" && $1 == ".Cm") { verb = $2; next }
		head = head opts($0)
		next
	}
	sec == "Verbs" && depth == 2 && /^\.It Fl/ { print verb opts($0); next }
	sec == "Options" && depth == 1 && /^\.It Fl/ { print "-" opts($0); next }
	END { if (verb != "") flush() }
	' "$MAN_DIR/$1.1"
}

# A value each argument name takes, for trying an option.
value_for() {
	case $1 in
	MODE) echo 0600 ;;
	COLS) echo NAME ;;
	TIMEOUT | TIME) echo 1s ;;
	IDX | OFFSET | INIT) echo 0 ;;
	N) echo 3 ;;
	FILE) echo /dev/null ;;
	LIST) echo seal ;;
	TYPES) echo posix-shm ;;
	P) echo x ;;
	KEY) echo SIZE ;;
	USER) echo root ;;
	PID) echo 1 ;;
	*) echo 1 ;;
	esac
}

@test "man pages: mandoc -Tlint -Wwarning is clean" {
	run mandoc -Tlint -Wwarning "$MAN_DIR"/*.1
	assert_success
	assert_output ''
}

@test "man pages: every SYNOPSIS form has balanced brackets, none empty or doubled" {
	local f line depth c i
	for f in "$MAN_DIR"/*.1; do
		while IFS= read -r line; do
			depth=0
			for ((i = 0; i < ${#line}; i++)); do
				c=${line:i:1}
				[ "$c" = '[' ] && depth=$((depth + 1))
				[ "$c" = ']' ] && depth=$((depth - 1))
				if [ "$depth" -lt 0 ]; then
					echo "$f: unbalanced: $line"
					return 1
				fi
			done
			if [ "$depth" -ne 0 ]; then
				echo "$f: unbalanced: $line"
				return 1
			fi
			# "[[" is a bracket opened directly in a bracket, "[]" or
			# "[ ]" an empty one: mdoc Op nesting mistakes.
			if [[ $line == *'[['* || $line =~ \[\ ?\] ]]; then
				echo "$f: nested or empty brackets: $line"
				return 1
			fi
		done < <(man_forms "$(basename "$f" .1)")
	done
}

@test "man pages: each SYNOPSIS form nests its brackets as the --help line does" {
	local a verb line
	for a in "${VERB_APPLETS[@]}"; do
		while IFS= read -r line; do
			verb=${line%% *}
			assert_equal "$a $verb: $(skeleton "$(man_forms "$a" |
				grep -m1 "^$verb\( \|$\)")")" \
				"$a $verb: $(skeleton "$line")"
		done < <(help_verbs "$a")
	done
	for a in "${PLAIN_APPLETS[@]}"; do
		assert_equal "$a: $(man_forms "$a" | while IFS= read -r line; do
			skeleton "$line"; done)" \
			"$a: $(help_forms "$a" | while IFS= read -r line; do
			skeleton "$line"; done)"
	done
}

@test "man pages: each applet page's SYNOPSIS lists the verbs of its --help, in the same order" {
	local a
	for a in "${VERB_APPLETS[@]}"; do
		assert_equal "$a: $(man_forms "$a" | cut -d' ' -f1 | paste -sd' ')" \
			"$a: $(help_verbs "$a" | cut -d' ' -f1 | paste -sd' ')"
	done
}

@test "man pages: each verb's options in the SYNOPSIS are those of its --help line" {
	local a verb line
	for a in "${VERB_APPLETS[@]}"; do
		while IFS= read -r line; do
			verb=${line%% *}
			assert_equal "$a $verb: $(opts_of "$(man_forms "$a" |
				grep -m1 "^$verb\( \|$\)")" | paste -sd' ')" \
				"$a $verb: $(opts_of "$line" | paste -sd' ')"
		done < <(help_verbs "$a")
	done
}

@test "man pages: ipcls and ipcgc, each SYNOPSIS form has the options of the matching --help Usage form" {
	local a
	for a in "${PLAIN_APPLETS[@]}"; do
		local -a m h
		mapfile -t m < <(man_forms "$a")
		mapfile -t h < <(help_forms "$a")
		assert_equal "$a forms: ${#m[@]}" "$a forms: ${#h[@]}"
		local i
		for ((i = 0; i < ${#h[@]}; i++)); do
			assert_equal "$a form $i: $(opts_of "${m[i]}" | paste -sd' ')" \
				"$a form $i: $(opts_of "${h[i]}" | paste -sd' ')"
		done
	done
}

@test "man pages: ipcls and ipcgc describe the options of --help's Options section, short and long" {
	local a
	for a in "${PLAIN_APPLETS[@]}"; do
		assert_equal "$a: $(man_items "$a" | cut -d' ' -f2- | tr ' ' '\n' |
			sed 's/:.*//' | grep . | while read -r o; do
				is_global "$o" || printf '%s\n' "$o"
			done | sort -u | paste -sd' ')" \
			"$a: $(help_options "$a" | paste -sd' ')"
	done
}

@test "man pages: each verb's heading in DESCRIPTION has the options of its SYNOPSIS" {
	local a verb opts
	for a in "${VERB_APPLETS[@]}"; do
		while read -r _ verb opts; do
			assert_equal "$a $verb: $(tr ' ' '\n' <<<"$opts" |
				sed 's/:.*//' | grep . | sort -u | paste -sd' ')" \
				"$a $verb: $(opts_of "$(man_forms "$a" |
					grep -m1 "^$verb\( \|$\)")" | paste -sd' ')"
		done < <(man_items "$a" | grep '^head ')
	done
}

@test "man pages: every option a page describes, short and long, is in the SYNOPSIS and accepted by the binary" {
	local a verb opts o name arg item syn
	for a in "${VERB_APPLETS[@]}" "${PLAIN_APPLETS[@]}"; do
		while read -r verb opts; do
			[ "$verb" = head ] && continue
			# An item that gives an argument to one form gives it to all
			# ("-t, --type TYPES").
			arg=$(tr ' ' '\n' <<<"$opts" | sed -n 's/^[^:]*://p' | head -n 1)
			if [ "$verb" = - ]; then
				syn=$(opts_of "$(man_forms "$a")")
			else
				syn=$(opts_of "$(man_forms "$a" | grep -m1 "^$verb\( \|$\)")")
			fi
			item=no
			for o in $opts; do
				name=${o%%:*}
				is_global "$name" && continue
				grep -qxF -- "$name" <<<"$syn" && item=yes
				local -a try=("$a")
				[ "$verb" = - ] || try+=("$verb")
				if [ -z "$arg" ]; then
					try+=("$name")
				elif [[ $name == --* ]]; then
					try+=("$name=$(value_for "$arg")")
				else
					try+=("$name" "$(value_for "$arg")")
				fi
				run "${try[@]}" --help
				[ "$status" -eq 0 ] ||
					fail "$a $verb: $name: man page describes it, binary refuses it: $output"
			done
			is_global "${opts%% *}" ||
				[ "$item" = yes ] ||
				fail "$a $verb: ${opts}: described, not in the SYNOPSIS"
		done < <(man_items "$a" | sed 's/^\([^ ]*\) */\1 /')
	done
}
