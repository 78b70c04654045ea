# `cmake --install build --prefix P` and `cpack -G DEB` (docs/kit.md).
#
#   P/bin/spinlab
#   P/share/spinlab/firmware/NAME.elf   the bundled programs
#   P/share/spinlab/configs/            default.toml, scenarios/, ...
#   P/share/spinlab/docs/               the documentation: lessons/ (--explain
#                                       reads them), kit.md, config.md, ...
#   P/share/spinlab/kit/                the firmware kit: spinlab.mk, include/,
#                                       lib/libkernel.a, kernel.ld, starter/
#
#   P/include/spinlab/                  platform.h (libspinlab), plugin.h (the plugin ABI)
#   P/lib/libspinlab.a                  the platform as a library (docs/devices.md)
#   P/lib/pkgconfig/spinlab.pc          for pkg-config --cflags --libs spinlab
#   P/lib/cmake/spinlab/                for find_package(spinlab)
#   P/share/spinlab/examples/           examples/tlm-device: a device of one's own
#
# The installed binary finds share/spinlab beside its bin/ (sim/cli/paths.cpp),
# so the prefix can be moved, or packaged, and the build tree removed.
install(TARGETS spinlab RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS spinlab_library ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/spinlab DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION ${SPINLAB_INSTALL_DATADIR}/examples
        PATTERN build EXCLUDE)
# Both package files find the prefix from where they are installed.
file(RELATIVE_PATH PC_PREFIX_FROM_PCDIR /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
file(RELATIVE_PATH CONFIG_PREFIX_FROM_CONFIGDIR /${CMAKE_INSTALL_LIBDIR}/cmake/spinlab /)
set(PC_DL "")
if(CMAKE_DL_LIBS)
  set(PC_DL -l${CMAKE_DL_LIBS})
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/spinlab.pc.in ${PROJECT_BINARY_DIR}/spinlab.pc @ONLY)
configure_file(${CMAKE_CURRENT_LIST_DIR}/spinlabConfig.cmake.in ${PROJECT_BINARY_DIR}/spinlabConfig.cmake @ONLY)
include(CMakePackageConfigHelpers)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/spinlabConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/spinlab.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
install(FILES ${PROJECT_BINARY_DIR}/spinlabConfig.cmake ${PROJECT_BINARY_DIR}/spinlabConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/spinlab)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/configs/ DESTINATION ${SPINLAB_INSTALL_DATADIR}/configs)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${SPINLAB_INSTALL_DATADIR}/docs)
if(SPINLAB_FIRMWARE)
  set(_elfs "")
  foreach(name IN LISTS SPINLAB_FIRMWARE_PROGRAMS)
    list(APPEND _elfs ${SPINLAB_FIRMWARE_DIR}/${name}.elf)
  endforeach()
  install(FILES ${_elfs} DESTINATION ${SPINLAB_INSTALL_DATADIR}/firmware)
  install(DIRECTORY ${SPINLAB_KIT_DIR}/ DESTINATION ${SPINLAB_INSTALL_DATADIR}/kit)
endif()

# The Debian package: spinlab_VERSION_ARCH.deb. Its library dependencies come
# from dpkg-shlibdeps (libsystemc, libfmt9, ...); the cross compiler, for the
# kit and `spinlab new`, and GTKWave, for --vcd, are recommended.
set(CPACK_PACKAGE_NAME spinlab)
set(CPACK_PACKAGE_VENDOR "spinlab")
set(CPACK_PACKAGE_CONTACT "spinlab maintainers <spinlab@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "cycle-level multicore RISC-V simulator with a lock monitor, for teaching locking")
set(CPACK_PACKAGE_DESCRIPTION "spinlab runs bare-metal RV32IMA firmware on a simulated multicore machine and
infers locks, contexts and deadlocks from the bus traffic. It ships a teaching
kernel, its lesson scenarios, and a firmware kit for writing one's own.")
set(CPACK_PACKAGE_INSTALL_DIRECTORY spinlab)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gcc-riscv64-unknown-elf, binutils-riscv64-unknown-elf, make, gtkwave")
set(CPACK_STRIP_FILES bin/spinlab)
include(CPack)
