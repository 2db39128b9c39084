# bash completion for podpub                               -*- shell-script -*-
#
# Commands, options and option values come from podpub itself (`podpub
# help`, `podpub CMD --help`, `podpub check --list-rules`), so they are
# always those of the podpub installed: nothing here to keep in step.

# The commands, one a line, from `podpub help`.
_podpub_commands()
{
    "$1" help 2>/dev/null | awk '/^commands:/ { on = 1; next }
        on && /^  [a-z]/ { print $1 } on && /^$/ { exit }'
}

# The options of command $2 (or podpub's own), from its --help.
_podpub_options()
{
    local text
    if [[ -n $2 ]]; then
        text=$("$1" "$2" --help 2>/dev/null)
    else
        text=$("$1" --help 2>/dev/null)
    fi
    grep -oE -- '(^|[[ |,])--?[a-zA-Z][a-z-]*' <<<"$text" |
        sed 's/^[[ |,]//' | sort -u
}

# Files with one of the extensions in $2 (a regex), and folders.
_podpub_files()
{
    local IFS=$'\n' f
    compopt -o filenames 2>/dev/null
    COMPREPLY=()
    for f in $(compgen -f -- "$1"); do
        if [[ -d $f ]] || grep -qiE "\.($2)\$" <<<"$f"; then
            COMPREPLY+=("$f")
        fi
    done
}

_podpub()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local pp=${COMP_WORDS[0]} cmd= i
    local audio='mp3|m4a|mp4|m4b|aac|ogg|oga|opus|flac|wav'

    [[ $pp == "~"* ]] && pp=$HOME${pp#"~"}
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            -C) ((i++)) ;;
            -*) ;;
            *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done

    case $prev in
        -C|--out)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --ignore)
            COMPREPLY=($(compgen -W "$("$pp" check --list-rules 2>/dev/null |
                awk 'NR > 1 { print $1 }')" -- "$cur")); return ;;
        --target)
            compopt -o nospace 2>/dev/null
            COMPREPLY=($(compgen -W 's3:// sftp:// ftp:// ftps:// https:// file://' \
                -- "$cur")); return ;;
        --type)
            COMPREPLY=($(compgen -W 'full trailer bonus' -- "$cur")); return ;;
        --ci)
            COMPREPLY=($(compgen -W 'github gitlab forgejo none' -- "$cur")); return ;;
        --media)
            COMPREPLY=($(compgen -W 'download keep' -- "$cur")); return ;;
        --feed)
            _podpub_files "$cur" 'xml|rss'; return ;;
        --title|--author|--email|--language|--base-url|--date|--at|--season|\
        --episode|--port|--bind|--timeout|-j|--jobs|--retries|--stall-timeout|\
        --lock-stale)
            return ;;
    esac

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$(_podpub_options "$pp")" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(_podpub_commands "$pp")" -- "$cur"))
        fi
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_podpub_options "$pp" "$cmd")" -- "$cur"))
        return
    fi
    case $cmd in
        help) COMPREPLY=($(compgen -W "$(_podpub_commands "$pp")" -- "$cur")) ;;
        add) _podpub_files "$cur" "$audio" ;;
        probe)
            # An http(s) URL is typed, not completed from files.
            [[ $cur == http:* || $cur == https:* ]] && return
            _podpub_files "$cur" "$audio|jpg|jpeg|png" ;;
        normalize) _podpub_files "$cur" "md" ;;
        init)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -d -- "$cur")) ;;
    esac
}
complete -F _podpub podpub
