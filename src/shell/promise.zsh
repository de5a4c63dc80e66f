# promise: show overdue and soon-due promises in front of the prompt.
# Load with: eval "$(promise init zsh)"   (loading it twice changes nothing)
__promise_precmd() {
    # Take back what we put in front last time, so the user's PROMPT stays theirs.
    if [[ -n ${__promise_inserted-} && $PROMPT == "$__promise_inserted"* ]]; then
        PROMPT=${PROMPT#"$__promise_inserted"}
    fi
    __promise_inserted=
    local segment
    segment=$(command promise prompt 2>/dev/null)
    if [[ -n $segment ]]; then
        # A segment is plain text; keep zsh from reading % in it as a prompt escape.
        __promise_inserted="${segment//\%/%%} "
        PROMPT="$__promise_inserted$PROMPT"
    fi
}
autoload -Uz add-zsh-hook
add-zsh-hook precmd __promise_precmd
