@echo off
(echo cherry& echo apple& echo banana) | sort
