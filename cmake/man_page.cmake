# Writes the man page cakupan.1 from the program's own help: `cakupan --help` for the overview and
# `cakupan COMMAND --help` for each command it lists, so the page cannot drift from the options.
# Usage: cmake -DCAKUPAN=<binary> -DVERSION=<x.y.z> -DOUT=<file> -P man_page.cmake
foreach(var CAKUPAN VERSION OUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "man_page.cmake: -D${var}=... is required")
  endif()
endforeach()

function(help_of out_var)
  execute_process(COMMAND ${CAKUPAN} ${ARGN} OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "man_page.cmake: '${CAKUPAN} ${ARGN}' exited with ${rc}")
  endif()
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

# Verbatim text for roff: backslashes written as \e, '-' as \- (an ASCII minus that copies into a
# shell, not a typographic hyphen), and a line that starts with '.' or an apostrophe (a roff
# request) protected by the zero-width \&.
function(roff_verbatim out_var text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out_var} ".nf\n${text}\n.fi\n" PARENT_SCOPE)
endfunction()

help_of(overview --help)
# The command table: the lines "  name  summary" between "commands:" and the blank line after it.
string(REGEX MATCH "commands:\n(([ ][ ][a-z]+[^\n]*\n)+)" table "${overview}")
set(table "${CMAKE_MATCH_1}")
string(REPLACE "\n" ";" lines "${table}")
set(commands "")
foreach(line IN LISTS lines)
  if(line MATCHES "^  ([a-z]+)")
    list(APPEND commands "${CMAKE_MATCH_1}")
  endif()
endforeach()
if(NOT commands)
  message(FATAL_ERROR "man_page.cmake: no commands found in '${CAKUPAN} --help'")
endif()

string(TIMESTAMP date "%Y-%m-%d" UTC)
set(page ".TH CAKUPAN 1 \"${date}\" \"cakupan ${VERSION}\" \"User Commands\"\n")
string(APPEND page ".SH NAME\ncakupan \\- social-security coverage across regions: simulate, forecast, map\n")
string(APPEND page ".SH SYNOPSIS\n.B cakupan\n.I COMMAND\n[\\fIoptions\\fR]\n")
string(APPEND page ".SH DESCRIPTION\n")
roff_verbatim(text "${overview}")
string(APPEND page "${text}")
string(APPEND page ".SH COMMANDS\n")
foreach(c IN LISTS commands)
  help_of(text ${c} --help)
  roff_verbatim(text "${text}")
  string(APPEND page ".SS ${c}\n${text}")
endforeach()
string(APPEND page ".SH ENVIRONMENT\n.TP\n.B CAKUPAN_MODELS_DIR\n"
  "The directory of the model files a scenario names with [model] name, or uses by default.\n"
  "Without it, the models installed beside the program (../share/cakupan/models) are used.\n")
string(APPEND page ".SH FILES\n.TP\n.I /usr/share/cakupan/models\nThe bundled models (under the install prefix).\n"
  ".TP\n.I /usr/share/doc/cakupan\nThe manual: README.md and the documents it refers to.\n")
file(WRITE "${OUT}" "${page}")
