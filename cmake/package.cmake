# The Debian package: `cpack -G DEB` in the build folder (after building) writes
# reportd_<version>_<arch>.deb, installed under /usr whatever CMAKE_INSTALL_PREFIX is:
#   - the layout of cmake/install.cmake;
#   - Depends computed from the binary's shared libraries (dpkg-shlibdeps);
#   - postinst creates the system user and group `reportd` and a state folder
#     /var/lib/reportd; the unit is installed, systemd told about it, but neither enabled
#     nor started (an operator writes the config first);
#   - /etc/reportd/reportd.conf is a conffile (kept, or asked about, on upgrades).
set(CPACK_GENERATOR DEB)
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_NAME reportd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(REPORTD_DEB_MAINTAINER "reportd maintainers <maintainers@reportd.example.org>"
    CACHE STRING "Maintainer field of the Debian package (and its changelog)")
set(CPACK_PACKAGE_CONTACT "${REPORTD_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "work reports from government portals into PostgreSQL via Kafka")
# (CPack puts the summary above as the first line)
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"reportd watches government portals for newly published work reports, extracts
 their sections and numeric indicators (value, unit, qualifier, what is
 measured, result or target) and streams them through Kafka into PostgreSQL,
 where analysts query them from BI tools.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
# data the PDF decoder uses at run time (not shared libraries, so not found by shlibdeps):
# CJK CMaps, and Tesseract's Chinese model for scanned pages (OCR is skipped without it)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates, poppler-data, tesseract-ocr-chi-sim")
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
# Debian wants a copyright file and, for a native package, a compressed changelog.gz in the
# package's doc folder; the changelog's maintainer is the package's.
install(FILES deploy/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
set(_changelog ${CMAKE_BINARY_DIR}/debian-control/changelog.gz)
add_custom_command(OUTPUT ${_changelog}
  COMMAND sed "s/ -- .*>  / -- ${REPORTD_DEB_MAINTAINER}  /" ${CMAKE_SOURCE_DIR}/deploy/debian/changelog
          | gzip -9n > ${_changelog}
  DEPENDS ${CMAKE_SOURCE_DIR}/deploy/debian/changelog
  VERBATIM)
add_custom_target(reportd_changelog ALL DEPENDS ${_changelog})
install(FILES ${_changelog} DESTINATION ${CMAKE_INSTALL_DOCDIR})
include(CPack)
