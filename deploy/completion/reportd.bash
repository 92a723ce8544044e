# bash completion for reportd(1): commands, each command's options, and their values
# (roles, topics, files). Installed as /usr/share/bash-completion/completions/reportd.
# tests/ops/completion.sh checks it against `reportd COMMAND --help`.

_reportd() {
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion || return
    else
        COMPREPLY=()
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi

    local commands="run fetch extract replay migrate check-config"
    local cmd="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            -*) ;;
            *) cmd=${words[i]}; break ;;
        esac
    done

    if [ -z "$cmd" ]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi

    case $prev in
        --config)
            COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
        --sql-dir)
            COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
        --role)
            # a comma-separated subset of the three roles
            local done=${cur%"${cur##*,}"} last=${cur##*,} r out=()
            for r in fetch transform load; do
                [[ ",$done" == *",$r,"* ]] || out+=("$done$r")
            done
            COMPREPLY=($(compgen -W "${out[*]}" -- "$cur")); compopt -o nospace 2>/dev/null; return ;;
        --topic)
            COMPREPLY=($(compgen -W "reports.raw reports.parsed" -- "$cur")); return ;;
        --from)
            COMPREPLY=($(compgen -W "earliest" -- "$cur")); return ;;
        --instance|--max-bytes|--region|--to|--group)
            return ;;
    esac

    local opts=""
    case $cmd in
        run) opts="--config --role --instance --help" ;;
        fetch) opts="--config --once --instance --help" ;;
        extract) opts="--with-text --max-bytes --region --help" ;;
        replay) opts="--config --topic --from --to --group --help" ;;
        migrate) opts="--config --sql-dir --help" ;;
        check-config) opts="--config --quiet --help" ;;
        *) return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    elif [ "$cmd" = extract ] || [ "$cmd" = check-config ]; then
        COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null
    else
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    fi
}
complete -F _reportd reportd
