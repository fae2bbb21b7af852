# File formats for monthly-data uploads and published templates: CSV (own RFC 4180 parser),
# XLSX read (minizip + expat; Debian has no XLSX reader) and XLSX write (libxlsxwriter).
# Included from src/CMakeLists.txt, so paths are relative to src/.

# Each library is found through its pkg-config file, or by name when a distribution lacks one.
function(greenloop_io_find_library target pc_module library header)
  pkg_check_modules(${target} QUIET IMPORTED_TARGET ${pc_module})
  if(${target}_FOUND)
    set(${target}_LINK PkgConfig::${target} PARENT_SCOPE)
    return()
  endif()
  find_library(${target}_LIBRARY NAMES ${library} REQUIRED)
  find_path(${target}_INCLUDE_DIR NAMES ${header} REQUIRED)
  add_library(greenloop_io_${library} UNKNOWN IMPORTED)
  set_target_properties(greenloop_io_${library} PROPERTIES
    IMPORTED_LOCATION ${${target}_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${${target}_INCLUDE_DIR})
  set(${target}_LINK greenloop_io_${library} PARENT_SCOPE)
endfunction()

greenloop_io_find_library(MINIZIP minizip minizip minizip/unzip.h)
greenloop_io_find_library(EXPAT expat expat expat.h)
greenloop_io_find_library(XLSXWRITER xlsxwriter xlsxwriter xlsxwriter.h)

add_library(greenloop_io STATIC io/csv.cc io/xlsx_reader.cc io/xlsx_writer.cc)
target_link_libraries(greenloop_io
  PUBLIC greenloop_core
  PRIVATE ${MINIZIP_LINK} ${EXPAT_LINK} ${XLSXWRITER_LINK})
