# fish completion for podpub. Commands, options and option values come
# from podpub itself (`podpub help`, `podpub CMD --help`, `podpub check
# --list-rules`), so they are always those of the podpub installed.

# The command word on the line, if any (after -C DIR and options).
function __podpub_command
    set -l words (commandline -opc)
    set -e words[1]
    while set -q words[1]
        switch $words[1]
            case -C
                set -e words[1]
            case '-*'
            case '*'
                echo $words[1]
                return 0
        end
        set -e words[1]
    end
    return 1
end

function __podpub_commands
    podpub help 2>/dev/null | awk '/^commands:/ { on = 1; next }
        on && /^  [a-z]/ { n = $1; $1 = ""; sub(/^ +/, ""); print n "\t" $0 }
        on && /^$/ { exit }'
end

function __podpub_options
    set -l cmd (__podpub_command)
    podpub $cmd --help 2>/dev/null | grep -oE -- '(^|[[ |,])--?[a-zA-Z][a-z-]*' |
        sed 's/^[[ |,]//' | sort -u
end

function __podpub_prev_is
    set -l words (commandline -opc)
    contains -- $words[-1] $argv
end

complete -c podpub -f
complete -c podpub -n 'not __podpub_command' -a '(__podpub_commands)'
complete -c podpub -n '__podpub_command; and string match -q -- "help" (__podpub_command)' \
    -a '(__podpub_commands)'
complete -c podpub -n 'string match -q -- "-*" (commandline -ct)' -a '(__podpub_options)'
complete -c podpub -n '__podpub_prev_is --ignore' -x \
    -a '(podpub check --list-rules 2>/dev/null | awk "NR > 1 { print \$1 }")'
complete -c podpub -n '__podpub_prev_is --target' -x \
    -a 's3:// sftp:// ftp:// ftps:// https:// file://'
complete -c podpub -n '__podpub_prev_is --type' -x -a 'full trailer bonus'
complete -c podpub -n '__podpub_prev_is --ci' -x -a 'github gitlab forgejo none'
complete -c podpub -n '__podpub_prev_is --media' -x -a 'download keep'
complete -c podpub -n '__podpub_prev_is -C --out' -x -a '(__fish_complete_directories)'
complete -c podpub -n '__podpub_prev_is --feed' -F
complete -c podpub -n 'contains -- (__podpub_command) add probe init normalize; and not string match -q -- "-*" (commandline -ct)' -F
