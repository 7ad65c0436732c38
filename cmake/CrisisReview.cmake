# Project-wide build settings shared by every target (cf. qBittorrent's qbt_common_cfg).
add_library(cr_common INTERFACE)
target_compile_features(cr_common INTERFACE cxx_std_20)
target_compile_options(cr_common INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough)
# Warnings are errors by default (CR_WERROR, top-level CMakeLists.txt). Context-less
# connects are refused by the style_connect_context test (QT_NO_CONTEXTLESS_CONNECT only
# exists from Qt 6.7 on).
if(CR_WERROR)
    target_compile_options(cr_common INTERFACE -Werror)
endif()
target_compile_definitions(cr_common INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_STRICT_ITERATORS
    QT_NO_FOREACH
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
    CR_VERSION="${PROJECT_VERSION}")
target_include_directories(cr_common INTERFACE ${PROJECT_SOURCE_DIR})

# cr_add_library(NAME SOURCES ... [PUBLIC_LIBS ...] [PRIVATE_LIBS ...])
function(cr_add_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
    add_library(${name} STATIC ${ARG_SOURCES})
    target_link_libraries(${name} PUBLIC cr_common ${ARG_PUBLIC_LIBS} PRIVATE ${ARG_PRIVATE_LIBS})
endfunction()

# cr_add_test(NAME SOURCES ... LIBS ... [TIMEOUT SECONDS]) — one executable per tested class.
# Every test runs on the offscreen platform and gets its own temp HOME-like dirs (below);
# tests also call QStandardPaths::setTestModeEnabled themselves.
function(cr_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE cr_common Qt6::Test ${ARG_LIBS})
    add_test(NAME ${name} COMMAND ${name})
    # Each test gets its own HOME and XDG config/data folders, so tests that run at the
    # same time (ctest -j) never share QSettings files, recent-study lists or demo copies,
    # and no test reads or changes the developer's own settings. Child processes inherit them.
    set(home "${PROJECT_BINARY_DIR}/test-home/${name}")
    file(MAKE_DIRECTORY "${home}")
    set(env "CR_SOURCE_DIR=${PROJECT_SOURCE_DIR}" "CR_BINARY_DIR=${PROJECT_BINARY_DIR}"
            "QT_QPA_PLATFORM=offscreen" "HOME=${home}" "XDG_CONFIG_HOME=${home}/.config"
            "XDG_DATA_HOME=${home}/.local/share")
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}")
    if(ARG_TIMEOUT)
        set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT})
    else()
        set_tests_properties(${name} PROPERTIES TIMEOUT 300)
    endif()
endfunction()

# cr_require_pg(TEST): the test runs after the throwaway PostgreSQL cluster of tests/pg is
# up and finds it through CR_PG_DIR (a folder holding the shell fragment "env").
function(cr_require_pg name)
    set_property(TEST ${name} APPEND PROPERTY FIXTURES_REQUIRED pg)
    set_property(TEST ${name} APPEND PROPERTY ENVIRONMENT "CR_PG_DIR=${CR_PG_DIR}")
endfunction()

# cr_add_backend_test(NAME): NAME (already added with cr_add_test) runs a second time as
# NAME_pg with CR_TEST_BACKEND=postgres, its studies in fresh databases on the test
# cluster (tests/storage/backendfixture.h): the same assertions on both engines.
function(cr_add_backend_test name)
    add_test(NAME ${name}_pg COMMAND ${name})
    get_test_property(${name} ENVIRONMENT env)
    get_test_property(${name} TIMEOUT timeout)
    set_tests_properties(${name}_pg PROPERTIES ENVIRONMENT "${env};CR_TEST_BACKEND=postgres"
        TIMEOUT ${timeout})
    cr_require_pg(${name}_pg)
endfunction()
