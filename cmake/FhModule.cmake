# Common compile settings for every factoryhub target.
add_library(fh_options INTERFACE)
target_compile_options(fh_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                            -Wno-missing-field-initializers)
if(FH_WERROR)
  target_compile_options(fh_options INTERFACE -Werror)
endif()
# GCC 12 at -O3 reports -Wrestrict inside libstdc++ for `"literal" + std::string&&`
# (GCC bug 105651), a false positive no source change can avoid cleanly.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(fh_options INTERFACE -Wno-restrict)
endif()
if(FH_SANITIZE)
  # -O1: the sanitized tests run several times faster than at -O0, and ASan still reports
  # every access it would there; -g1: line tables, all a report's stack needs, for less
  # compile and link time than full debug information.
  target_compile_options(fh_options INTERFACE -fsanitize=address,undefined
                                              -fno-sanitize-recover=undefined -fno-omit-frame-pointer
                                              -O1 -g1)
  # GCC 12 with ASan at -O1 reports -Wmaybe-uninitialized inside libstdc++'s <regex> (its
  # _State moves): false positives of instrumented code; the Release build keeps the warning.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(fh_options INTERFACE -Wno-maybe-uninitialized)
  endif()
  target_link_options(fh_options INTERFACE -fsanitize=address,undefined)
endif()
if(FH_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "FH_FUZZ needs clang: configure a fresh build folder with CXX=clang++")
  endif()
  # Coverage feedback for libFuzzer in every library, not only in the harness: the code
  # under test is what it must explore. UBSan aborts so that the fuzzer sees a crash.
  target_compile_options(fh_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                                              -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(fh_options INTERFACE -fsanitize=address,undefined)
endif()

# fh_module(NAME [DIR dir] [EXCLUDE subdir] DEPS dep...): one static library per folder
# (src/NAME unless DIR says otherwise), exported as fh::NAME. Sources are the folder's .cpp
# files (recursively, less EXCLUDE), so adding a file needs no CMake edit.
function(fh_module name)
  cmake_parse_arguments(ARG "" "DIR;EXCLUDE" "DEPS" ${ARGN})
  if(NOT ARG_DIR)
    set(ARG_DIR ${name})
  endif()
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${ARG_DIR}/*.cpp)
  if(ARG_EXCLUDE)
    list(FILTER srcs EXCLUDE REGEX "/${ARG_DIR}/${ARG_EXCLUDE}/")
  endif()
  add_library(fh_${name} STATIC ${srcs})
  add_library(fh::${name} ALIAS fh_${name})
  target_include_directories(fh_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(fh_${name} PUBLIC fh_options ${ARG_DEPS})
endfunction()

# fh_test(NAME DEPS dep...): one GoogleTest binary per folder tests/NAME.
function(fh_test name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${name}/*.cpp)
  if(NOT srcs)
    return()
  endif()
  add_executable(${name}_test ${srcs})
  target_include_directories(${name}_test PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name}_test PRIVATE ${ARG_DEPS} fh_testing GTest::gtest GTest::gtest_main
                                             GTest::gmock)
  if(FH_SANITIZE)
    set_target_properties(${name}_test PROPERTIES CROSSCOMPILING_EMULATOR
                                                  ${PROJECT_SOURCE_DIR}/tests/testing/lsan_tracer_retry.sh)
  endif()
  gtest_discover_tests(${name}_test DISCOVERY_TIMEOUT 60
                       PROPERTIES TIMEOUT 300 ENVIRONMENT "FH_BIN=$<TARGET_FILE:factoryhub>")
endfunction()
