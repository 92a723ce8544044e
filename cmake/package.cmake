# The Debian package: `cpack -G DEB` (or `cmake --build build --target package`) in a build
# configured with -DCMAKE_INSTALL_PREFIX=/usr writes reportd_<version>_<arch>.deb:
#   - the layout of cmake/install.cmake;
#   - Depends computed from the binary's shared libraries (dpkg-shlibdeps);
#   - postinst creates the system user and group `reportd` and a state folder
#     /var/lib/reportd; the unit is installed, systemd told about it, but neither enabled
#     nor started (an operator writes the config first);
#   - /etc/reportd/reportd.conf is a conffile (kept, or asked about, on upgrades).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME reportd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "reportd maintainers <reportd@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "work reports from government portals into PostgreSQL via Kafka")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"work reports from government portals into PostgreSQL via Kafka
 reportd watches government portals for newly published work reports, extracts
 their sections and numeric indicators (value, unit, qualifier, what is
 measured, result or target) and streams them through Kafka into PostgreSQL,
 where analysts query them from BI tools.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql, kafka")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/reportd/reportd")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
# maintainer scripts and conffiles, with the permissions dpkg wants
set(_deb ${CMAKE_BINARY_DIR}/debian-control)
file(MAKE_DIRECTORY ${_deb})
foreach(f postinst postrm conffiles)
  file(COPY ${CMAKE_SOURCE_DIR}/deploy/debian/${f} DESTINATION ${_deb}
       FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endforeach()
file(CHMOD ${_deb}/conffiles PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA "${_deb}/postinst;${_deb}/postrm;${_deb}/conffiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Debian wants a copyright file and a compressed changelog in the package's doc folder.
install(FILES deploy/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
set(_changelog ${CMAKE_BINARY_DIR}/changelog.Debian.gz)
add_custom_command(OUTPUT ${_changelog}
  COMMAND gzip -9nc ${CMAKE_SOURCE_DIR}/deploy/debian/changelog > ${_changelog}
  DEPENDS ${CMAKE_SOURCE_DIR}/deploy/debian/changelog)
add_custom_target(reportd_changelog ALL DEPENDS ${_changelog})
install(FILES ${_changelog} DESTINATION ${CMAKE_INSTALL_DOCDIR})
include(CPack)
