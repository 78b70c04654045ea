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
# The installed binary finds share/spinlab beside its bin/ (sim/cli/paths.cpp),
# so the prefix can be moved, or packaged, and the build tree removed.
install(TARGETS spinlab RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
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
