# bash completion for vbackcam and vbackcamctl                                   -*- shell-script -*-

_vbackcam_ctl()
{
    local cur=$1 prev=$2 cword=$3
    if [[ $cword -eq 1 ]]; then
        mapfile -t COMPREPLY < <(compgen -W 'status effect background blur color mode model pause resume reload' \
            -- "$cur")
        return
    fi
    if [[ $cword -ge 3 && ${COMP_WORDS[COMP_CWORD - cword + 1]} == effect ]]; then
        # Bash splits KEY=VALUE at the '=': after one, complete a file name (for path=).
        if [[ $prev == = ]]; then
            _filedir
        else
            mapfile -t COMPREPLY < <(compgen -W 'path= radius= color= hologram=' -- "$cur")
            compopt -o nospace
        fi
        return
    fi
    case $prev in
        background) _filedir ;;
        pause) mapfile -t COMPREPLY < <(compgen -W '--hold' -- "$cur") ;;
        mode | effect) mapfile -t COMPREPLY < <(compgen -W 'image video blur color none' -- "$cur") ;;
        model)
            mapfile -t COMPREPLY < <(compgen -W 'selfie meet rvm bodypix' -- "$cur")
            [[ $cur == */* || $cur == .* ]] && _filedir json
            ;;
    esac
}

_vbackcam_engines()
{
    mapfile -t COMPREPLY < <(compgen -W 'auto onnxruntime tensorflow' -- "$cur")
}

_vbackcam()
{
    local cur prev words cword
    _init_completion || return

    if [[ ${words[0]##*/} == vbackcamctl ]]; then
        _vbackcam_ctl "$cur" "$prev" "$cword"
        return
    fi
    if [[ $cword -eq 1 ]]; then
        mapfile -t COMPREPLY < <(compgen -W 'run ctl doctor render segment bench models --version --help' -- "$cur")
        return
    fi
    case ${words[1]} in
        ctl)
            _vbackcam_ctl "$cur" "$prev" $((cword - 1))
            ;;
        run)
            case $prev in
                --camera | --output | --config | --stats) _filedir ;;
                --model) mapfile -t COMPREPLY < <(compgen -W 'selfie meet rvm bodypix' -- "$cur") ;;
                --engine) _vbackcam_engines ;;
                --size) ;;
                *) mapfile -t COMPREPLY < <(compgen -W '--camera --output --config --size --model --engine --stats \
                       --help' -- "$cur") ;;
            esac
            ;;
        doctor)
            case $prev in
                --output) _filedir ;;
                *) mapfile -t COMPREPLY < <(compgen -W '--output --help' -- "$cur") ;;
            esac
            ;;
        render | segment | bench)
            if [[ $prev == --engine ]]; then
                _vbackcam_engines
            else
                _filedir
            fi
            ;;
    esac
}
complete -F _vbackcam vbackcam vbackcamctl
