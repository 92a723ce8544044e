# The layers of reportd, one static library each, linked only downward:
#   common <- transforms <- connectors <- pipeline <- daemon (<- devtools)
# tests/layering/check-includes.sh fails when a file includes from a layer above its own.
# Included by the main build and by the fuzz build (tests/fuzz/project), which builds the
# lower layers only, with its own instrumentation.

# rpt_layer(NAME DIR [DEPS...]): a static library of every .c under DIR (DIR/main.c excluded),
# linking the layers below it publicly.
function(rpt_layer name dir)
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${REPORTD_SOURCE_ROOT}/${dir}/*.c)
  list(FILTER sources EXCLUDE REGEX "^${REPORTD_SOURCE_ROOT}/${dir}/main\\.c$")
  add_library(${name} STATIC ${sources})
  target_include_directories(${name} PUBLIC ${REPORTD_SOURCE_ROOT})
  if(ARGN)
    target_link_libraries(${name} PUBLIC ${ARGN})
  endif()
endfunction()
