# promise: show overdue and soon-due promises in front of the prompt.
# Load with: promise init fish | source   (loading it twice changes nothing)
if not functions -q __promise_original_fish_prompt
    functions -c fish_prompt __promise_original_fish_prompt
    function fish_prompt
        # The original prompt runs first, so it still sees the last command's $status.
        set -l original (__promise_original_fish_prompt | string collect -N)
        set -l segment (command promise prompt 2>/dev/null)
        if test -n "$segment"
            printf '%s ' $segment
        end
        printf '%s' $original
    end
end
