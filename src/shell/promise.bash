# promise: show overdue and soon-due promises in front of the prompt.
# Load with: eval "$(promise init bash)"   (loading it twice changes nothing)
__promise_prompt_hook() {
    # Take back what we put in front last time, so the user's PS1 stays theirs.
    if [[ -n ${__promise_inserted-} && $PS1 == "$__promise_inserted"* ]]; then
        PS1=${PS1#"$__promise_inserted"}
    fi
    __promise_inserted=
    local segment
    segment=$(command promise prompt 2>/dev/null)
    if [[ -n $segment ]]; then
        # A segment is plain text; keep bash from reading \ or $ in it as prompt escapes.
        segment=${segment//\\/\\\\}
        segment=${segment//\$/\\\$}
        __promise_inserted="$segment "
        PS1="$__promise_inserted$PS1"
    fi
}
if [[ ${PROMPT_COMMAND-} != *__promise_prompt_hook* ]]; then
    # Last, so prompts that rebuild PS1 in their own PROMPT_COMMAND keep the segment.
    PROMPT_COMMAND="${PROMPT_COMMAND:+${PROMPT_COMMAND%;};}__promise_prompt_hook"
fi
