# The host build's view of the firmware (included from CMakeLists.txt).
#
# Builds this directory as a separate cross-compiled CMake project, the
# ExternalProject target `firmware`, whose ELFs land in SPINLAB_FIRMWARE_DIR.
# Exports to the parent scope:
#   SPINLAB_FIRMWARE_PROGRAMS   the names of all programs (NAME.elf)
#   SPINLAB_FIRMWARE_TESTS      the names of the self-checking tests, and for
#                               each: SPINLAB_FIRMWARE_TEST_<name>_EXIT_CODE,
#                               _HARTS, _SPINLAB_ONLY (ON/OFF), _SPINLAB_ARGS
#                               (a list)
# A host target that needs the ELFs, or the firmware kit in SPINLAB_KIT_DIR
# (docs/kit.md), depends on `firmware`.
include(ExternalProject)

# Learn the programs from the one list, building nothing here.
set(SPINLAB_FIRMWARE_PROGRAMS "")
set(SPINLAB_FIRMWARE_TESTS "")
macro(firmware_program name)
  list(APPEND SPINLAB_FIRMWARE_PROGRAMS ${name})
endmacro()
macro(firmware_test name)
  cmake_parse_arguments(_fwtest "SPINLAB_ONLY" "EXIT_CODE;HARTS;ARCH;LINKER_SCRIPT" "SPINLAB_ARGS" ${ARGN})
  if(NOT DEFINED _fwtest_EXIT_CODE)
    set(_fwtest_EXIT_CODE 0)
  endif()
  if(NOT DEFINED _fwtest_HARTS)
    set(_fwtest_HARTS 1)
  endif()
  list(APPEND SPINLAB_FIRMWARE_PROGRAMS ${name})
  list(APPEND SPINLAB_FIRMWARE_TESTS ${name})
  set(SPINLAB_FIRMWARE_TEST_${name}_EXIT_CODE ${_fwtest_EXIT_CODE} PARENT_SCOPE)
  set(SPINLAB_FIRMWARE_TEST_${name}_HARTS ${_fwtest_HARTS} PARENT_SCOPE)
  set(SPINLAB_FIRMWARE_TEST_${name}_SPINLAB_ONLY ${_fwtest_SPINLAB_ONLY} PARENT_SCOPE)
  set(SPINLAB_FIRMWARE_TEST_${name}_SPINLAB_ARGS ${_fwtest_SPINLAB_ARGS} PARENT_SCOPE)
endmacro()
include(${CMAKE_CURRENT_LIST_DIR}/programs.cmake)

set(_elfs "")
foreach(name IN LISTS SPINLAB_FIRMWARE_PROGRAMS)
  list(APPEND _elfs ${SPINLAB_FIRMWARE_DIR}/${name}.elf)
endforeach()

ExternalProject_Add(firmware
  SOURCE_DIR ${CMAKE_CURRENT_LIST_DIR}
  PREFIX ${CMAKE_CURRENT_BINARY_DIR}/cross
  BINARY_DIR ${CMAKE_CURRENT_BINARY_DIR}/cross/build
  CMAKE_ARGS
    -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/riscv-toolchain.cmake
    -DSPINLAB_FIRMWARE_DIR=${SPINLAB_FIRMWARE_DIR}
    -DSPINLAB_KIT_DIR=${SPINLAB_KIT_DIR}
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
  BUILD_ALWAYS ON          # the sub-build itself knows what changed
  INSTALL_COMMAND ""
  BUILD_BYPRODUCTS ${_elfs} ${SPINLAB_KIT_DIR}/lib/libkernel.a
)

set(SPINLAB_FIRMWARE_PROGRAMS ${SPINLAB_FIRMWARE_PROGRAMS} PARENT_SCOPE)
set(SPINLAB_FIRMWARE_TESTS ${SPINLAB_FIRMWARE_TESTS} PARENT_SCOPE)
