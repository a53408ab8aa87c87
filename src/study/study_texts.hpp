// Texts shared by the study's charts, map and report, in both languages.
#pragma once

#include "cakupan/render/lang.hpp"
#include "cakupan/study/study.hpp"

#include <string>

namespace cakupan {

// Letters, digits, '-', '_' and '.' kept; anything else becomes '_'.
std::string file_safe(const std::string& s);

// "Coverage at the end" / "Cakupan di akhir" for "coverage_end"; "coverage_end:19.01" gets the code.
std::string output_label(const std::string& output, render::Lang lang);

// A parameter as charts and tables name it: its `label` when the study gives one, otherwise a
// readable name for the key ("lapse, informal" / "putus kepesertaan, informal"), never the raw key.
std::string parameter_name(const StudyParameter& parameter, render::Lang lang);

// The method's main index as a reader names it: "total Sobol index (ST)", "mu*", "|swing|", "|PRCC|".
std::string index_label(StudyMethod method, render::Lang lang);

// "Source: Cakupan sensitivity study NAME, seed N" in the language.
std::string study_source_note(const Study& study, render::Lang lang);

} // namespace cakupan
