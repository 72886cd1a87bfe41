<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>AiPanel</name>
    <message>
        <location filename="../../app/ai_panel.py" line="50"/>
        <source>Investigational AI pre-read, not a medical device: a radiologist must review every result.</source>
        <translation>Исследовательский ИИ-анализ, не медицинское изделие: каждый результат проверяет врач-рентгенолог.</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="61"/>
        <source>Run AI</source>
        <translation>Запустить ИИ</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="62"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="63"/>
        <source>Accept AI values</source>
        <translation>Принять значения ИИ</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="65"/>
        <source>Reject</source>
        <translation>Отклонить</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="72"/>
        <source>AI grade</source>
        <translation>Степень (ИИ)</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="103"/>
        <source>AI pre-read running…</source>
        <translation>ИИ анализирует исследование…</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="128"/>
        <source>AI pre-read cancelled</source>
        <translation>Анализ ИИ отменён</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="145"/>
        <source>Involvement: right %1%, left %2%, total %3%</source>
        <translation>Поражение: справа %1%, слева %2%, всего %3%</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="148"/>
        <source>Grade by the worse lung %1, by both lungs %2</source>
        <translation>Степень по худшему лёгкому %1, по обоим лёгким %2</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="151"/>
        <source>GGO %1 mL, consolidation %2 mL</source>
        <translation>«Матовое стекло» %1 мл, консолидация %2 мл</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="153"/>
        <source>COVID-19 pattern: %s</source>
        <translation>Паттерн COVID-19: %s</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="156"/>
        <source>Quality: %s</source>
        <translation>Качество: %s</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="157"/>
        <source>%1 on %2 in %3 s</source>
        <translation>%1 на %2 за %3 с</translation>
    </message>
</context>
<context>
    <name>ArchivePage</name>
    <message>
        <location filename="../../app/settings_dialog.py" line="134"/>
        <source>stored in the OS keyring; type to replace</source>
        <translation>хранится в связке ключей ОС; введите, чтобы заменить</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="136"/>
        <source>system certificates</source>
        <translation>системные сертификаты</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="137"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Обзор…</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="139"/>
        <source>&amp;Test connection</source>
        <translation>&amp;Проверить подключение</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="147"/>
        <source>DICOMweb &amp;address:</source>
        <translation>&amp;Адрес DICOMweb:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="148"/>
        <source>&amp;User:</source>
        <translation>&amp;Пользователь:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="149"/>
        <source>&amp;Password:</source>
        <translation>П&amp;ароль:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="150"/>
        <source>&amp;CA bundle (optional):</source>
        <translation>&amp;Сертификаты УЦ (необязательно):</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="151"/>
        <source>The password is kept in the operating system&apos;s keyring, never in the settings file.</source>
        <translation>Пароль хранится в связке ключей операционной системы и никогда — в файле настроек.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="156"/>
        <source>Archive</source>
        <translation>Архив</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="165"/>
        <source>Enter the archive address, or clear the user and password.</source>
        <translation>Введите адрес архива или очистите поля пользователя и пароля.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="168"/>
        <source>Enter the archive user the password belongs to.</source>
        <translation>Введите пользователя архива, которому принадлежит пароль.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="173"/>
        <source>Enter the password for this user and address: none is stored in the OS keyring.</source>
        <translation>Введите пароль для этого пользователя и адреса: в связке ключей ОС его нет.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="188"/>
        <source>The CA bundle file does not exist.</source>
        <translation>Файл сертификатов УЦ не существует.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="208"/>
        <source>CA bundle</source>
        <translation>Сертификаты УЦ</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="208"/>
        <source>Certificates (*.pem *.crt *.cer);;All (*)</source>
        <translation>Сертификаты (*.pem *.crt *.cer);;Все файлы (*)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="221"/>
        <source>Enter the archive address first.</source>
        <translation>Сначала введите адрес архива.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="232"/>
        <source>Connecting…</source>
        <translation>Подключение…</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="234"/>
        <source>Connected: the archive answered.</source>
        <translation>Подключено: архив ответил.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="235"/>
        <source>Failed: %1</source>
        <translation>Ошибка: %1</translation>
    </message>
</context>
<context>
    <name>ControllerPage</name>
    <message>
        <location filename="../../app/settings_dialog.py" line="354"/>
        <source>Button</source>
        <translation>Кнопка</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="354"/>
        <source>Devices</source>
        <translation>Устройства</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="355"/>
        <location filename="../../app/settings_dialog.py" line="362"/>
        <source>Action</source>
        <translation>Действие</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="362"/>
        <source>Key</source>
        <translation>Клавиша</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="366"/>
        <source>&amp;Add key</source>
        <translation>&amp;Добавить клавишу</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="368"/>
        <source>&amp;Remove key</source>
        <translation>&amp;Удалить клавишу</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="377"/>
        <source>&amp;Record button:</source>
        <translation>Кнопка &amp;записи:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="379"/>
        <source>Device &amp;buttons:</source>
        <translation>&amp;Кнопки устройств:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="383"/>
        <source>&amp;Keyboard keys (select a key cell and press F2 to record):</source>
        <translation>Клавиши к&amp;лавиатуры (выберите ячейку клавиши и нажмите F2, чтобы записать):</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="392"/>
        <source>Shipped keys and buttons can be given another action but not removed.</source>
        <translation>Стандартным клавишам и кнопкам можно назначить другое действие, но нельзя их удалить.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="397"/>
        <source>Voice controller</source>
        <translation>Пульт диктовки</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="400"/>
        <source>Push to talk (record while held)</source>
        <translation>Нажми и говори (запись, пока кнопка нажата)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="401"/>
        <source>Toggle (press to start, press to stop)</source>
        <translation>Переключатель (нажать — начать, нажать — остановить)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="405"/>
        <source>Record</source>
        <translation>Запись</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="405"/>
        <source>Next field</source>
        <translation>Следующее поле</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="406"/>
        <source>Previous field</source>
        <translation>Предыдущее поле</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="406"/>
        <source>Play</source>
        <translation>Воспроизведение</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="407"/>
        <source>Rewind</source>
        <translation>Назад</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="407"/>
        <source>Fast forward</source>
        <translation>Вперёд</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="408"/>
        <source>Insert template</source>
        <translation>Вставить шаблон</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="409"/>
        <source>Accept AI values</source>
        <translation>Принять значения ИИ</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="409"/>
        <source>Sign report</source>
        <translation>Подписать протокол</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="410"/>
        <source>Stop dictation</source>
        <translation>Остановить диктовку</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="414"/>
        <source>(nothing)</source>
        <translation>(ничего)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="447"/>
        <source>The key %1 is listed twice; give it one action.</source>
        <translation>Клавиша %1 указана дважды; назначьте ей одно действие.</translation>
    </message>
</context>
<context>
    <name>DictationPanel</name>
    <message>
        <location filename="../../app/dictation_panel.py" line="51"/>
        <source>Dictate</source>
        <translation>Диктовка</translation>
    </message>
    <message>
        <location filename="../../app/dictation_panel.py" line="54"/>
        <source>Dictate (F9, or the record button of the microphone)</source>
        <translation>Диктовка (F9 или кнопка записи на микрофоне)</translation>
    </message>
    <message>
        <location filename="../../app/dictation_panel.py" line="92"/>
        <source>Dictation could not start: %s</source>
        <translation>Не удалось начать диктовку: %s</translation>
    </message>
    <message>
        <location filename="../../app/dictation_panel.py" line="149"/>
        <source>Choose a field to dictate into</source>
        <translation>Выберите поле для диктовки</translation>
    </message>
    <message>
        <location filename="../../app/dictation_panel.py" line="161"/>
        <source>“%s” does not fit this field</source>
        <translation>«%s» не подходит для этого поля</translation>
    </message>
    <message>
        <location filename="../../app/dictation_panel.py" line="180"/>
        <source>No field called “%s”</source>
        <translation>Нет поля «%s»</translation>
    </message>
</context>
<context>
    <name>GeneralPage</name>
    <message>
        <location filename="../../app/settings_dialog.py" line="753"/>
        <source>Run the AI &amp;pre-read when a study opens</source>
        <translation>Запускать &amp;ИИ-анализ при открытии исследования</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="757"/>
        <source> min</source>
        <translation> мин</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="758"/>
        <source>never</source>
        <translation>никогда</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="761"/>
        <source>&amp;Interface language:</source>
        <translation>&amp;Язык интерфейса:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="762"/>
        <source>The interface language applies the next time Luch starts.</source>
        <translation>Язык интерфейса изменится при следующем запуске Луча.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="763"/>
        <source>&amp;Report language:</source>
        <translation>Язык &amp;протокола:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="765"/>
        <source>&amp;Lock the screen after idle:</source>
        <translation>&amp;Блокировать экран после простоя:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="766"/>
        <source>The lock hides patient data when nobody has used the keyboard or mouse for this long (0 = never).</source>
        <translation>Блокировка скрывает данные пациентов, если клавиатурой и мышью не пользовались столько времени (0 — никогда).</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="770"/>
        <source>General</source>
        <translation>Общие</translation>
    </message>
</context>
<context>
    <name>HotkeysPage</name>
    <message>
        <location filename="../../app/settings_dialog.py" line="662"/>
        <source>Action</source>
        <translation>Действие</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="662"/>
        <source>Shortcut</source>
        <translation>Сочетание клавиш</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="681"/>
        <source>&amp;Shortcuts:</source>
        <translation>&amp;Сочетания клавиш:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="685"/>
        <source>Select a shortcut and press F2 (or double-click) to record a new one; Delete clears it.</source>
        <translation>Выберите сочетание и нажмите F2 (или дважды щёлкните), чтобы записать новое; Delete удаляет его.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="689"/>
        <source>Hotkeys</source>
        <translation>Горячие клавиши</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="720"/>
        <source>%1 is the shortcut of both “%2” and “%3”; give one of them another key.</source>
        <translation>%1 назначено и для «%2», и для «%3»; назначьте одному из них другую клавишу.</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <location filename="../../app/lock.py" line="252"/>
        <source>&amp;Lock screen</source>
        <translation>&amp;Заблокировать экран</translation>
    </message>
    <message>
        <location filename="../../app/lock.py" line="263"/>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
</context>
<context>
    <name>LockPanel</name>
    <message>
        <location filename="../../app/lock.py" line="62"/>
        <source>Luch is locked</source>
        <translation>Луч заблокирован</translation>
    </message>
    <message>
        <location filename="../../app/lock.py" line="71"/>
        <source>&amp;Unlock</source>
        <translation>&amp;Разблокировать</translation>
    </message>
    <message>
        <location filename="../../app/lock.py" line="80"/>
        <source>Signed in: %1</source>
        <translation>Пользователь: %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/main_window.py" line="68"/>
        <source>Luch — CT reading workstation</source>
        <translation>Луч — рабочее место врача КТ</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="95"/>
        <source>No study open</source>
        <translation>Исследование не открыто</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="100"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="108"/>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="109"/>
        <source>Open DICOM &amp;folder…</source>
        <translation>Открыть &amp;папку DICOM…</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="111"/>
        <source>Open &amp;file (NIfTI, DICOM)…</source>
        <translation>Открыть &amp;файл (NIfTI, DICOM)…</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="114"/>
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="117"/>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="120"/>
        <source>Layout: %s</source>
        <translation>Раскладка: %s</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="127"/>
        <source>Window: %s</source>
        <translation>Окно: %s</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="130"/>
        <source>Toggle AI &amp;overlay</source>
        <translation>&amp;Разметка ИИ вкл/выкл</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="132"/>
        <source>AI overlay as &amp;outlines</source>
        <translation>Разметка ИИ &amp;контурами</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="134"/>
        <source>Overlay &amp;labels</source>
        <translation>&amp;Метки разметки</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="135"/>
        <source>&amp;Lungs</source>
        <translation>&amp;Лёгкие</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="136"/>
        <source>&amp;Ground-glass opacity</source>
        <translation>&amp;Матовое стекло</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="137"/>
        <source>&amp;Consolidation</source>
        <translation>&amp;Консолидация</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="143"/>
        <source>&amp;More opaque</source>
        <translation>&amp;Плотнее</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="145"/>
        <source>L&amp;ess opaque</source>
        <translation>П&amp;розрачнее</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="147"/>
        <source>Thick &amp;slab</source>
        <translation>Толстый &amp;срез</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="148"/>
        <source>&amp;Thin slice</source>
        <translation>&amp;Тонкий срез</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="149"/>
        <source>&amp;MIP (maximum)</source>
        <translation>&amp;MIP (максимум)</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="150"/>
        <source>M&amp;inIP (minimum)</source>
        <translation>M&amp;inIP (минимум)</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="151"/>
        <source>M&amp;ean</source>
        <translation>&amp;Среднее</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="154"/>
        <source>T&amp;hicker slab</source>
        <translation>&amp;Толще</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="156"/>
        <source>Thinne&amp;r slab</source>
        <translation>Т&amp;оньше</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="158"/>
        <source>&amp;Cine</source>
        <translation>&amp;Кино</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="159"/>
        <source>&amp;Anonymize corner text</source>
        <translation>&amp;Анонимизировать надписи</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="161"/>
        <source>&amp;Detach view to a new window</source>
        <translation>&amp;Открепить вид в новое окно</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="164"/>
        <source>&amp;Tools</source>
        <translation>&amp;Инструменты</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="166"/>
        <source>&amp;Window/level (no tool)</source>
        <translation>&amp;Окно/уровень (без инструмента)</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="167"/>
        <source>&amp;Distance</source>
        <translation>&amp;Расстояние</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="168"/>
        <source>&amp;Ellipse ROI</source>
        <translation>&amp;Эллиптическая ROI</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="169"/>
        <source>&amp;Freehand ROI</source>
        <translation>&amp;Произвольная ROI</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="186"/>
        <source>Open DICOM folder</source>
        <translation>Открыть папку DICOM</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="192"/>
        <source>Open image</source>
        <translation>Открыть изображение</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="192"/>
        <source>Images (*.nii *.nii.gz *.dcm);;All (*)</source>
        <translation>Изображения (*.nii *.nii.gz *.dcm);;Все файлы (*)</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="204"/>
        <source>Loading %s…</source>
        <translation>Загрузка %s…</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="250"/>
        <source>%1 × %2 × %3 voxels</source>
        <translation>%1 × %2 × %3 вокселей</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="260"/>
        <source>Cannot open study</source>
        <translation>Не удалось открыть исследование</translation>
    </message>
</context>
<context>
    <name>ReportPanel</name>
    <message>
        <location filename="../../app/report_panel.py" line="57"/>
        <source>Additional text (dictate or type)</source>
        <translation>Дополнительный текст (диктовка или ввод)</translation>
    </message>
    <message>
        <location filename="../../app/report_panel.py" line="63"/>
        <source>Save draft</source>
        <translation>Сохранить черновик</translation>
    </message>
    <message>
        <location filename="../../app/report_panel.py" line="64"/>
        <source>Sign</source>
        <translation>Подписать</translation>
    </message>
    <message>
        <location filename="../../app/report_panel.py" line="105"/>
        <source>Draft restored</source>
        <translation>Черновик восстановлен</translation>
    </message>
    <message>
        <location filename="../../app/report_panel.py" line="110"/>
        <source>Report %s</source>
        <translation>Протокол: %s</translation>
    </message>
    <message>
        <location filename="../../app/report_panel.py" line="114"/>
        <source>New report</source>
        <translation>Новый протокол</translation>
    </message>
    <message>
        <location filename="../../app/report_panel.py" line="177"/>
        <source>Signed (%s), queued for the archive</source>
        <translation>Подписано (%s), поставлено в очередь в архив</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/settings_dialog.py" line="795"/>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="851"/>
        <source>%1 is the shortcut of “%2” and also a voice controller key; give one of them another key.</source>
        <translation>%1 — сочетание для «%2» и одновременно клавиша пульта диктовки; назначьте одному из них другую клавишу.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="854"/>
        <source>%1 is the shortcut of “%2” and also the key of the window preset %3; give one of them another key.</source>
        <translation>%1 — сочетание для «%2» и одновременно клавиша окна %3; назначьте одному из них другую клавишу.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="879"/>
        <source>The OS keyring could not keep the archive password (%1); nothing was saved.</source>
        <translation>Связка ключей ОС не смогла сохранить пароль архива (%1); ничего не сохранено.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="908"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Настройки…</translation>
    </message>
</context>
<context>
    <name>SpeechPage</name>
    <message>
        <location filename="../../app/settings_dialog.py" line="270"/>
        <source>Speech &amp;engine:</source>
        <translation>&amp;Движок распознавания:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="271"/>
        <source>Dictation &amp;language:</source>
        <translation>&amp;Язык диктовки:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="272"/>
        <source>&amp;Microphone:</source>
        <translation>&amp;Микрофон:</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="277"/>
        <source>the installed model</source>
        <translation>установленная модель</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="278"/>
        <source>Browse…</source>
        <translation>Обзор…</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="281"/>
        <source>Vosk model folder (%1):</source>
        <translation>Папка модели Vosk (%1):</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="285"/>
        <source>Speech</source>
        <translation>Речь</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="291"/>
        <source>System default</source>
        <translation>Системный по умолчанию</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="300"/>
        <source>%1 (not connected)</source>
        <translation>%1 (не подключён)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="304"/>
        <source>Vosk model folder</source>
        <translation>Папка модели Vosk</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="314"/>
        <source>%1 cannot recognise this language; choose another engine (Vosk) or language.</source>
        <translation>%1 не распознаёт этот язык; выберите другой движок (Vosk) или язык.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="323"/>
        <source>Not a Vosk model folder: %1</source>
        <translation>Это не папка модели Vosk: %1</translation>
    </message>
</context>
<context>
    <name>Terms</name>
    <message>
        <location filename="../../app/terms.py" line="16"/>
        <source>not assessable</source>
        <translation>не оценивается</translation>
    </message>
    <message>
        <location filename="../../app/terms.py" line="17"/>
        <source>CT-</source>
        <translation>КТ-</translation>
    </message>
    <message>
        <location filename="../../app/terms.py" line="23"/>
        <source>stat</source>
        <translation>экстренно</translation>
    </message>
    <message>
        <location filename="../../app/terms.py" line="24"/>
        <source>urgent</source>
        <translation>срочно</translation>
    </message>
    <message>
        <location filename="../../app/terms.py" line="25"/>
        <source>routine</source>
        <translation>планово</translation>
    </message>
    <message>
        <location filename="../../app/terms.py" line="26"/>
        <source>high</source>
        <translation>высокая</translation>
    </message>
    <message>
        <location filename="../../app/terms.py" line="27"/>
        <source>medium</source>
        <translation>средняя</translation>
    </message>
    <message>
        <location filename="../../app/terms.py" line="28"/>
        <source>low</source>
        <translation>низкая</translation>
    </message>
    <message>
        <location filename="../../app/terms.py" line="29"/>
        <source>atypical</source>
        <translation>нетипичная картина</translation>
    </message>
    <message>
        <location filename="../../app/terms.py" line="30"/>
        <source>draft</source>
        <translation>черновик</translation>
    </message>
    <message>
        <location filename="../../app/terms.py" line="31"/>
        <source>preliminary</source>
        <translation>предварительный</translation>
    </message>
    <message>
        <location filename="../../app/terms.py" line="32"/>
        <source>final</source>
        <translation>подписан</translation>
    </message>
    <message>
        <location filename="../../app/terms.py" line="33"/>
        <source>amended</source>
        <translation>дополнен</translation>
    </message>
</context>
<context>
    <name>ViewerPage</name>
    <message>
        <location filename="../../app/settings_dialog.py" line="498"/>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="498"/>
        <source>Centre (HU)</source>
        <translation>Центр (HU)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="499"/>
        <source>Width (HU)</source>
        <translation>Ширина (HU)</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="499"/>
        <source>Key</source>
        <translation>Клавиша</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="502"/>
        <source>&amp;Add preset</source>
        <translation>&amp;Добавить окно</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="504"/>
        <source>&amp;Remove preset</source>
        <translation>&amp;Удалить окно</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="508"/>
        <source>Hanging protocol</source>
        <translation>Протокол раскладки</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="508"/>
        <source>Layout</source>
        <translation>Раскладка</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="509"/>
        <source>Window preset</source>
        <translation>Окно</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="526"/>
        <source>&amp;Window presets:</source>
        <translation>&amp;Окна (ширина/уровень):</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="535"/>
        <source>&amp;Hanging protocols (first match wins):</source>
        <translation>&amp;Протоколы раскладки (действует первый подходящий):</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="539"/>
        <source>Changes to presets and protocols apply to the next study opened; new preset menu entries after a restart.</source>
        <translation>Изменения окон и протоколов действуют со следующего открытого исследования; новые пункты меню окон — после перезапуска.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="543"/>
        <source>Viewer</source>
        <translation>Просмотр</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="569"/>
        <source>Window preset %1: </source>
        <translation>Окно %1: </translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="571"/>
        <source>enter a name.</source>
        <translation>введите название.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="573"/>
        <source>the name %1 is used twice.</source>
        <translation>название %1 используется дважды.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="578"/>
        <source>centre and width must be numbers (HU).</source>
        <translation>центр и ширина должны быть числами (HU).</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="581"/>
        <source>the width must be 1..10000 HU and the centre -2000..5000 HU.</source>
        <translation>ширина должна быть 1..10000 HU, а центр −2000..5000 HU.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="584"/>
        <source>the key must be one letter or digit (C is taken by cine).</source>
        <translation>клавиша — одна буква или цифра (C занята кинорежимом).</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="587"/>
        <source>the key %1 is used twice.</source>
        <translation>клавиша %1 используется дважды.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="594"/>
        <source>Keep at least one window preset.</source>
        <translation>Оставьте хотя бы одно окно.</translation>
    </message>
    <message>
        <location filename="../../app/settings_dialog.py" line="608"/>
        <source>Hanging protocol %1 uses the window preset %2, which is not in the preset table.</source>
        <translation>Протокол раскладки %1 использует окно %2, которого нет в таблице окон.</translation>
    </message>
</context>
<context>
    <name>VoiceControllerAdapter</name>
    <message>
        <location filename="../../app/voice_controller.py" line="80"/>
        <source>“%s” is not available yet</source>
        <translation>«%s» пока недоступно</translation>
    </message>
</context>
<context>
    <name>WordAudio</name>
    <message>
        <location filename="../../app/word_audio.py" line="64"/>
        <source>Ctrl+click a dictated word (dotted underline) to hear it; Ctrl+F10 plays the word at the cursor</source>
        <translation>Ctrl+щелчок по надиктованному слову (подчёркнуто точками) — прослушать его; Ctrl+F10 — слово под курсором</translation>
    </message>
    <message>
        <location filename="../../app/word_audio.py" line="154"/>
        <location filename="../../app/word_audio.py" line="163"/>
        <source>The audio of this word is not on this station</source>
        <translation>Запись этого слова отсутствует на этой станции</translation>
    </message>
    <message>
        <location filename="../../app/word_audio.py" line="170"/>
        <source>No dictated word at the cursor</source>
        <translation>Под курсором нет надиктованного слова</translation>
    </message>
    <message>
        <location filename="../../app/word_audio.py" line="178"/>
        <source>Cannot play the dictation: %s</source>
        <translation>Не удалось воспроизвести диктовку: %s</translation>
    </message>
</context>
<context>
    <name>Workflow</name>
    <message>
        <location filename="../../app/workflow.py" line="89"/>
        <source>Worklist</source>
        <translation>Рабочий список</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="91"/>
        <source>Report</source>
        <translation>Протокол</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="121"/>
        <source>&amp;Report</source>
        <translation>&amp;Протокол</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="123"/>
        <source>Run &amp;AI pre-read</source>
        <translation>Запустить &amp;ИИ-анализ</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="125"/>
        <source>&amp;Accept AI values</source>
        <translation>&amp;Принять значения ИИ</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="126"/>
        <source>Re&amp;ject AI result</source>
        <translation>О&amp;тклонить результат ИИ</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="127"/>
        <source>&amp;Next field</source>
        <translation>&amp;Следующее поле</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="129"/>
        <source>&amp;Previous field</source>
        <translation>П&amp;редыдущее поле</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="131"/>
        <source>&amp;Sign report</source>
        <translation>П&amp;одписать протокол</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="132"/>
        <source>Sign and open the ne&amp;xt study</source>
        <translation>Подписать и открыть сле&amp;дующее</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="134"/>
        <source>S&amp;ync now</source>
        <translation>Си&amp;нхронизировать</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="135"/>
        <source>Open next s&amp;tudy</source>
        <translation>Открыть следующее &amp;исследование</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="136"/>
        <source>&amp;Dictate</source>
        <translation>&amp;Диктовка</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="137"/>
        <source>&amp;Play back (from the dictated word at the cursor)</source>
        <translation>&amp;Воспроизвести (с надиктованного слова под курсором)</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="139"/>
        <source>&amp;Hear the dictated word at the cursor</source>
        <translation>Прослушать надиктованное с&amp;лово под курсором</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="141"/>
        <source>Re&amp;wind the playback</source>
        <translation>Перемотать н&amp;азад</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="142"/>
        <source>&amp;Fast-forward the playback</source>
        <translation>Перемотать вп&amp;ерёд</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="144"/>
        <source>&amp;Compare with the prior study</source>
        <translation>&amp;Сравнить с предыдущим исследованием</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="146"/>
        <source>&amp;Refresh worklist</source>
        <translation>&amp;Обновить рабочий список</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="150"/>
        <source>Insert &amp;template</source>
        <translation>Вставить &amp;шаблон</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="184"/>
        <source>Archive unreachable; working offline: %s</source>
        <translation>Архив недоступен; работа без связи: %s</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="197"/>
        <source>unread</source>
        <translation>не прочитано</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="224"/>
        <source>This study is not on this station and the archive is not reachable</source>
        <translation>Этого исследования нет на станции, а архив недоступен</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="229"/>
        <source>Fetching the study from the archive…</source>
        <translation>Загрузка исследования из архива…</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="294"/>
        <source>Unsigned draft restored</source>
        <translation>Восстановлен неподписанный черновик</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="318"/>
        <source>A prior study of this patient (%1) is here: Ctrl+P compares</source>
        <translation>Есть предыдущее исследование пациента (%1): Ctrl+P — сравнить</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="341"/>
        <source>The AI could not assess this study: nothing to pre-fill</source>
        <translation>ИИ не смог оценить исследование: заполнять нечего</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="346"/>
        <source>AI values filled in; check them</source>
        <translation>Значения ИИ подставлены; проверьте их</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="368"/>
        <location filename="../../app/workflow.py" line="394"/>
        <source>Cannot play the dictation: %s</source>
        <translation>Не удалось воспроизвести диктовку: %s</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="371"/>
        <source>Nothing dictated to play back yet</source>
        <translation>Пока нечего воспроизводить</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="379"/>
        <source>Dictation stopped for playback</source>
        <translation>Диктовка остановлена на время воспроизведения</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="389"/>
        <source>Nothing is being played back</source>
        <translation>Сейчас ничего не воспроизводится</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="397"/>
        <source>Playback at %s s</source>
        <translation>Воспроизведение: %s с</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="438"/>
        <source>No template called “%s”</source>
        <translation>Нет шаблона «%s»</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="443"/>
        <source>Template inserted: %s</source>
        <translation>Вставлен шаблон: %s</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="501"/>
        <source>Archive unreachable; reports stay queued: %s</source>
        <translation>Архив недоступен; протоколы остаются в очереди: %s</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="508"/>
        <source>offline</source>
        <translation>нет связи</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="510"/>
        <source>online</source>
        <translation>на связи</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="510"/>
        <source>connecting</source>
        <translation>подключение</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="511"/>
        <source>Archive: %1 · unsent: %2</source>
        <translation>Архив: %1 · не отправлено: %2</translation>
    </message>
</context>
<context>
    <name>WorklistPanel</name>
    <message>
        <location filename="../../app/worklist_panel.py" line="47"/>
        <source>Search patient, date, grade…</source>
        <translation>Поиск: пациент, дата, степень…</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="51"/>
        <source>All studies</source>
        <translation>Все исследования</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="51"/>
        <source>Unread</source>
        <translation>Непрочитанные</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="52"/>
        <source>Drafts</source>
        <translation>Черновики</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="52"/>
        <source>Signed</source>
        <translation>Подписанные</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="55"/>
        <source>CT-3/CT-4 only</source>
        <translation>Только КТ-3/КТ-4</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="60"/>
        <source>Urgency</source>
        <translation>Срочность</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="60"/>
        <source>Patient</source>
        <translation>Пациент</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="60"/>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="60"/>
        <source>Modality</source>
        <translation>Модальность</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="61"/>
        <source>AI grade</source>
        <translation>Степень (ИИ)</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="61"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="83"/>
        <source>Anonymized</source>
        <translation>Анонимизировано</translation>
    </message>
</context>
</TS>
