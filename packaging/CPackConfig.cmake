# The installable package: `cpack -G DEB` in a build tree makes stemship_<version>_<arch>.deb with the CLI, the
# GUI (when built), the bundled templates and resources (installed by the top-level CMakeLists), the desktop
# entry, the AppStream metainfo and the app icon.
set(STEMSHIP_PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR})

install(FILES ${STEMSHIP_PACKAGING_DIR}/org.stemship.Stemship.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${STEMSHIP_PACKAGING_DIR}/org.stemship.Stemship.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
# The icon is named after the desktop id, as the icon theme spec and AppStream expect.
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/stemship.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps
        RENAME org.stemship.Stemship.svg)

set(CPACK_PACKAGE_NAME stemship)
set(CPACK_PACKAGE_VENDOR "Stemship")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Mix session templates, stem audit and stem delivery")
set(CPACK_PACKAGE_HOMEPAGE_URL ${PROJECT_HOMEPAGE_URL})
set(CPACK_PACKAGE_CONTACT "Stemship maintainers <maintainers@stemship.example.org>")
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_INSTALL_DIRECTORY stemship)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Stemship maintainers <maintainers@stemship.example.org>")
set(CPACK_DEBIAN_PACKAGE_SECTION sound)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})
# dpkg-shlibdeps works out the library packages (Qt 6, libsndfile, soxr, taglib, quazip) from the binaries.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# One string (a CMake list would join with ';'); the synopsis line comes from the summary above.
string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Stemship prepares mix sessions from templates (DAWproject and REAPER exports),\n"
    "audits stems (format, alignment, peaks, true peak, BS.1770 loudness, DC, phase),\n"
    "levels them under a true-peak ceiling and delivers them as a verified zip.\n"
    "Includes the command-line tool 'stemship' and the desktop app 'stemship-gui'.")

include(CPack)
