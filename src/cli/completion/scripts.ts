// The shell side of completion: a small function per shell that hands the
// words typed so far to `<program> __complete -- <words…>` and offers the
// lines it prints (`value<TAB>description`; a last line `:files` asks for
// file names instead). All knowledge of commands and flags stays in the
// program, so the scripts never go stale when commands change.

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** The hidden entry the scripts call. */
export const COMPLETE_ENTRY = '__complete';
/** The line that asks the shell to complete file names. */
export const FILES_DIRECTIVE = ':files';

/** A shell function name made from the program name (`updatectl` → `_updatectl`). */
function ident(program: string): string {
  return program.replace(/[^A-Za-z0-9_]/g, '_');
}

export function completionScript(shell: Shell, program: string): string {
  switch (shell) {
    case 'bash':
      return bashScript(program);
    case 'zsh':
      return zshScript(program);
    case 'fish':
      return fishScript(program);
  }
}

// Bash splits the word under the cursor at `=` and `:` (COMP_WORDBREAKS) and
// replaces only the part after the last of them, so the program is given the
// whole words (split from COMP_LINE at blanks) and the part readline keeps is
// cut off each answer.
function bashScript(program: string): string {
  const fn = `_${ident(program)}_complete`;
  return `# bash completion for ${program}
# Load it with:  source <(${program} completion bash)
${fn}() {
    local line=\${COMP_LINE:0:COMP_POINT}
    local -a words
    read -r -a words <<< "$line"
    if [[ \${#words[@]} -eq 0 || $line == *[[:space:]] ]]; then
        words+=("")
    fi
    local token=\${words[\${#words[@]}-1]}
    # what readline replaces: the text after the last word-break character
    local cur=\${line##*[\$COMP_WORDBREAKS]}
    local kept=\${token%"$cur"}
    local out entry
    out=$(${program} ${COMPLETE_ENTRY} -- "\${words[@]:1}" 2>/dev/null) || return 0
    COMPREPLY=()
    local IFS=$'\\n'
    for entry in $out; do
        if [[ $entry == "${FILES_DIRECTIVE}" ]]; then
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "$cur"))
            return 0
        fi
        entry=\${entry%%$'\\t'*}
        [[ $entry == "$kept"* ]] && COMPREPLY+=("\${entry#"$kept"}")
    done
}
complete -F ${fn} ${program}
`;
}

function zshScript(program: string): string {
  const fn = `_${ident(program)}`;
  return `#compdef ${program}
# zsh completion for ${program}
# Load it with:  source <(${program} completion zsh)
${fn}() {
    local -a lines candidates
    local entry value description kept=
    lines=("\${(@f)$(${program} ${COMPLETE_ENTRY} -- "\${(@Q)words[2,CURRENT-1]}" "\${(Q)PREFIX}" 2>/dev/null)}")
    # after --flag= only the value is matched and inserted
    if [[ $PREFIX == -*=* ]]; then
        kept=\${PREFIX%%=*}=
        compset -P '*='
    fi
    for entry in "\${lines[@]}"; do
        [[ -z $entry ]] && continue
        if [[ $entry == "${FILES_DIRECTIVE}" ]]; then
            _files
            return
        fi
        value=\${\${entry%%$'\\t'*}#$kept}
        description=\${entry#*$'\\t'}
        [[ $description == "$entry" ]] && description=
        candidates+=("\${value//:/\\\\:}\${description:+:$description}")
    done
    (( \${#candidates} )) && _describe 'values' candidates
}
if (( ! \${+functions[compdef]} )); then
    autoload -Uz compinit && compinit
fi
compdef ${fn} ${program}
`;
}

function fishScript(program: string): string {
  const fn = `__${ident(program)}_complete`;
  return `# fish completion for ${program}
# Load it with:  ${program} completion fish | source
function ${fn}
    set -l words (commandline -opc)
    set -e words[1]
    set -l current (commandline -ct)
    for entry in (${program} ${COMPLETE_ENTRY} -- $words "$current" 2>/dev/null)
        if test "$entry" = "${FILES_DIRECTIVE}"
            __fish_complete_path "$current"
            return
        end
        printf '%s\\n' "$entry"
    end
end
complete -c ${program} -f -a '(${fn})'
`;
}
