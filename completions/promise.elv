
set edit:completion:arg-completer[promise] = { |@words|
    var index = (count $words)
    set index = (- $index 1)

    put (env _CLAP_IFS="\n" _CLAP_COMPLETE_INDEX=(to-string $index) _PROMISE_COMPLETE="elvish" promise -- $@words) | to-lines
}

