# Writes OUT (a header defining NPUFI_GIT_REVISION) with the revision of the tree at SOURCE_DIR, at every
# build, and only when it changed, so that a campaign records the revision of the binary that ran it and an
# unchanged revision rebuilds nothing. "-dirty" marks uncommitted changes to tracked files.
execute_process(COMMAND git rev-parse --short HEAD WORKING_DIRECTORY ${SOURCE_DIR}
  OUTPUT_VARIABLE revision OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
if(failed OR NOT revision)
  set(revision unknown)
else()
  execute_process(COMMAND git diff --quiet HEAD -- WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE dirty ERROR_QUIET)
  if(dirty)
    set(revision "${revision}-dirty")
  endif()
endif()
set(text "#pragma once\n// Written by scripts/git_revision.cmake at build time.\n#define NPUFI_GIT_REVISION \"${revision}\"\n")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT old STREQUAL text)
  file(WRITE ${OUT} "${text}")
endif()
