# Embed one file into a C file as a NUL-terminated byte array.
# Usage: cmake -DIN=file -DOUT=file.c -DSYMBOL=name -P embed_file.cmake
# Defines `const char SYMBOL[]` and `const size_t SYMBOL_len` (bytes, not
# counting the NUL).
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR n "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
get_filename_component(name "${IN}" NAME)
set(body "/* Generated from ${name} by cmake/embed_file.cmake. */\n")
string(APPEND body "#include <stddef.h>\n\n")
string(APPEND body "extern const char ${SYMBOL}[];\nextern const size_t ${SYMBOL}_len;\n")
string(APPEND body "const char ${SYMBOL}[] = {${hex} 0};\n")
string(APPEND body "const size_t ${SYMBOL}_len = ${n};\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
